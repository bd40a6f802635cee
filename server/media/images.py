"""Uploaded photos: checked, re-encoded to WebP at two sizes, with EXIF (and GPS) gone."""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from server.media.refusals import ImageRejected

register_heif_opener()

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48 MP phone photo is larger; 40 MP keeps memory in check
# A JPEG decodes at 1/2, 1/4 or 1/8 scale (draft mode, about 26 MB at most); the others decode
# whole, however small the file. Measured peak per decode: PNG ~5 bytes a pixel, HEIF ~7, WebP
# ~18 (Pillow copies its buffer twice), so each cap keeps one decode near 120 MB, and
# DECODE_SLOTS of them within the 300 MB budget. Phones send JPEG or HEIC; our own page shrinks
# a photo to 1280 px before it leaves the phone, so WebP and PNG uploads are small.
FULL_DECODE_MAX_PIXELS = {"PNG": 24_000_000, "HEIF": 16_000_000, "WEBP": 6_000_000}
SMALLEST_CAP = min(FULL_DECODE_MAX_PIXELS.values())
# Pillow opens a phone's multi-picture JPEG (MPO: Samsung, some Xiaomi) as "MPO".
DRAFTABLE_FORMATS = ("JPEG", "MPO")
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
LARGE = 1280
SMALL = 320
WEBP_QUALITY = 78
# Box-reduce to at least this many times the large size before the Lanczos pass (Pillow's
# reducing_gap): quality stays, and the raster shrinks before any full-size copy is made.
REDUCING_GAP = 1.5
STRIP_ROWS = 64  # output rows converted and reduced at a time
DECODE_SLOTS = 2  # decodes at once in a process; further uploads wait their turn
ORIENTATION = 0x0112
TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    large: Rendition
    small: Rendition


class DecodeGauge:
    """How many decodes run right now, and the most seen at once: what shows the limit
    holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self.running -= 1

    def reset_peak(self) -> None:
        with self._lock:
            self.peak = self.running


DECODES = DecodeGauge()


def fitted(size: tuple[int, int], longest_side: int) -> tuple[int, int]:
    scale = longest_side / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def open_image(data: bytes) -> Image.Image:
    """The decoded upload: a JPEG at the smallest draft scale still at least LARGE, anything
    else whole (hence its lower pixel cap)."""
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
        pixels = image.width * image.height
        if pixels > MAX_PIXELS:
            raise ImageRejected("too_many_pixels")
        if image.format in DRAFTABLE_FORMATS:
            image.draft(None, fitted(image.size, LARGE))
        elif pixels > FULL_DECODE_MAX_PIXELS.get(str(image.format), SMALLEST_CAP):
            raise ImageRejected("too_many_pixels_full")
        try:
            image.load()
        except (OSError, SyntaxError, ValueError):
            raise ImageRejected("corrupt") from None
    return image


def shrunk(image: Image.Image, mode: str) -> Image.Image:
    """Box-reduced (and converted to `mode`) a strip at a time, so no full-size converted or
    premultiplied copy of a huge raster is ever made."""
    width, height = image.size
    factor = max(1, int(max(width, height) // (LARGE * REDUCING_GAP)))
    if image.mode == mode and (factor == 1 or mode == "RGB"):
        return image.reduce(factor) if factor > 1 else image
    result = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = factor * STRIP_ROWS
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        result.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return result


def upright(image: Image.Image, orientation: int | None) -> Image.Image:
    """Keep the photo upright once EXIF is gone."""
    method = TRANSPOSE_FOR_ORIENTATION.get(orientation or 1)
    return image.transpose(method) if method is not None else image


def rendition(image: Image.Image, longest_side: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # No exif= and no icc_profile=: nothing of the camera's metadata survives.
    copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return Rendition(buffer.getvalue(), copy.width, copy.height)


def process_image(data: bytes) -> ProcessedImage:
    """Checks and re-encodes; raises ImageRejected for anything that is not a sane photo."""
    with DECODES:
        image = open_image(data)
        orientation = image.getexif().get(ORIENTATION)
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        image = shrunk(image, mode)
        image.thumbnail((LARGE, LARGE), Image.Resampling.LANCZOS)
        large = upright(image, orientation)
        return ProcessedImage(large=rendition(large, LARGE), small=rendition(large, SMALL))
