"""Image files made on the spot for upload tests."""

from __future__ import annotations

import io

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
