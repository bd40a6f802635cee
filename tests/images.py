"""Image files made on the spot for upload tests."""

from __future__ import annotations

import io
import random
from functools import cache

from PIL import Image


def jpeg_with_gps(width: int = 2000, height: int = 1500) -> bytes:
    """A camera-like JPEG that says where it was taken (Jakarta) and with what."""
    image = Image.new("RGB", (width, height), (180, 90, 40))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 10.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 40.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=85)
    return buffer.getvalue()


def png(width: int = 800, height: int = 600, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def giant_png() -> bytes:
    """20000×20000 pixels in a few KB: a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@cache
def camera_raster(width: int, height: int) -> Image.Image:
    """Light and shade under grain and a few shapes, as a photo compresses; its left quarter
    is red, so a test sees which way is up."""
    noise = random.Random(width * height)
    light = Image.linear_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    shade = Image.radial_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    coarse = Image.frombytes("L", (width // 4, height // 4), noise.randbytes(width * height // 16))
    grain = coarse.resize((width, height), Image.Resampling.BILINEAR)
    fine = Image.frombytes("L", (width, height), noise.randbytes(width * height))
    image = Image.merge("RGB", (light, shade, grain))
    image = Image.blend(image, Image.merge("RGB", (fine, grain, fine)), 0.25)
    image.paste((200, 30, 30), (0, 0, width // 4, height))
    return image


def photo_like(width: int = 4000, height: int = 3000, *, orientation: int | None = None) -> bytes:
    """A camera photo as a phone sends it: 4000×3000 is a JPEG of about 4.5 MB. With
    `orientation`, the EXIF tag a phone writes when it was held another way (6: turned a
    quarter clockwise, the pixels stored sideways)."""
    image = camera_raster(width, height)
    exif = Image.Exif()  # not the shared raster's own: a tag set here stays in this file
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()
