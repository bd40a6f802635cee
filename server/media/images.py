"""Uploaded photos: checked, re-encoded to WebP at two sizes, with EXIF (and GPS) gone."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48 MP phone photo is larger; 40 MP keeps memory in check
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
LARGE = 1280
SMALL = 320
WEBP_QUALITY = 78


class ImageRejected(ValueError):
    """`code` names the translated message: too_large, not_an_image, too_many_pixels, corrupt."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    large: Rendition
    small: Rendition


def open_image(data: bytes) -> Image.Image:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected("too_large")
    if not data:
        raise ImageRejected("not_an_image")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except UnidentifiedImageError:
            raise ImageRejected("not_an_image") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("too_many_pixels") from None
        if image.width * image.height > MAX_PIXELS:
            raise ImageRejected("too_many_pixels")
        try:
            image.load()
        except (OSError, SyntaxError, ValueError):
            raise ImageRejected("corrupt") from None
    return image


def rendition(image: Image.Image, longest_side: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # No exif= and no icc_profile=: nothing of the camera's metadata survives.
    copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return Rendition(buffer.getvalue(), copy.width, copy.height)


def process_image(data: bytes) -> ProcessedImage:
    """Checks and re-encodes; raises ImageRejected for anything that is not a sane photo."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    image = open_image(data)
    image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    return ProcessedImage(large=rendition(image, LARGE), small=rendition(image, SMALL))
