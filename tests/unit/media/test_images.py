import io

import pytest
from PIL import Image

from server.media.images import (
    FULL_DECODE_MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    ImageRejected,
    open_image,
    process_image,
    shrunk,
)
from tests.images import giant_png, jpeg_with_gps, png


def test_photo_is_reencoded_to_webp_at_two_sizes() -> None:
    result = process_image(jpeg_with_gps(2000, 1500))
    large = Image.open(io.BytesIO(result.large.data))
    small = Image.open(io.BytesIO(result.small.data))
    assert large.format == small.format == "WEBP"
    assert (large.width, large.height) == (result.large.width, result.large.height) == (1280, 960)
    assert (small.width, small.height) == (320, 240)


def test_exif_and_gps_are_stripped() -> None:
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)
    result = process_image(source)
    for data in (result.large.data, result.small.data):
        assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
        assert b"PhoneMaker" not in data


def test_small_photo_is_not_enlarged() -> None:
    result = process_image(png(300, 200))
    assert (result.large.width, result.large.height) == (300, 200)


def test_transparent_png_keeps_its_alpha() -> None:
    result = process_image(png(100, 100, mode="RGBA"))
    assert Image.open(io.BytesIO(result.small.data)).mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (giant_png(), "too_many_pixels"),
        (b"GIF89a\x01\x00\x01\x00", "not_an_image"),
        (b"%PDF-1.7 not a photo", "not_an_image"),
        (b"", "not_an_image"),
        (jpeg_with_gps()[:5000], "corrupt"),
        (b"\xff\xd8" + b"\x00" * (MAX_UPLOAD_BYTES + 1), "too_large"),
    ],
    ids=["bomb", "gif", "pdf", "empty", "truncated", "oversized"],
)
def test_bad_uploads_are_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(ImageRejected) as refusal:
        process_image(data)
    assert refusal.value.code == code


def test_huge_jpeg_is_decoded_at_a_draft_scale() -> None:
    source = Image.new("RGB", (7300, 5475), (180, 90, 40))
    buffer = io.BytesIO()
    source.save(buffer, "JPEG")
    decoded = open_image(buffer.getvalue())
    # 1/4 scale: the raster is 16 times smaller than the 40 MP the file describes.
    assert decoded.size == (1825, 1369)
    result = process_image(buffer.getvalue())
    assert (result.large.width, result.large.height) == (1280, 960)


def test_png_is_box_reduced_before_the_final_resize() -> None:
    reduced = shrunk(Image.open(io.BytesIO(png(5000, 4000, mode="P"))), "RGBA")
    assert reduced.mode == "RGBA"
    assert reduced.size == (2500, 2000)


def test_palette_png_keeps_its_transparency_through_the_strips() -> None:
    image = Image.new("P", (4000, 300), 1)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    image.info["transparency"] = 1
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=1)
    result = process_image(buffer.getvalue())
    small = Image.open(io.BytesIO(result.small.data))
    assert small.mode == "RGBA"
    assert small.getpixel((10, 10))[3] == 0


@pytest.mark.parametrize(
    ("fmt", "side"), [("PNG", 4900), ("WEBP", 2500)], ids=["png-24mp", "webp-6mp"]
)
def test_formats_decoded_whole_have_a_lower_pixel_cap(fmt: str, side: int) -> None:
    buffer = io.BytesIO()
    Image.new("L", (side, side)).save(buffer, fmt)
    assert side * side > FULL_DECODE_MAX_PIXELS[fmt]
    with pytest.raises(ImageRejected) as refusal:
        process_image(buffer.getvalue())
    assert refusal.value.code == "too_many_pixels_full"


def test_multi_picture_jpeg_from_a_phone_is_drafted_too() -> None:
    frames = [Image.new("RGB", (6000, 4000), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "MPO", save_all=True, append_images=frames[1:])
    decoded = open_image(buffer.getvalue())
    assert decoded.format == "MPO"
    assert decoded.size == (1500, 1000)
    assert process_image(buffer.getvalue()).large.width == 1280
