import io

import pytest
from PIL import Image

from server.media.images import MAX_UPLOAD_BYTES, ImageRejected, process_image
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
