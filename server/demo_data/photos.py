"""Portfolio pictures for the demo tailor: fabric swatches drawn on the spot, no files shipped."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 800, 600
# (cloth, ink, stripe step): soga brown, indigo, maroon with gold, like batik parang.
SWATCHES = (
    ("#e9d8b4", "#7a4b2a", 96),
    ("#f2e6c9", "#1f3b5a", 72),
    ("#5b2a3c", "#e8c07d", 120),
)


def swatch(cloth: str, ink: str, step: int) -> bytes:
    """Diagonal bands with a row of dots between them, as a PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), cloth)
    draw = ImageDraw.Draw(image)
    for offset in range(-HEIGHT, WIDTH + step, step):
        draw.line([(offset, HEIGHT), (offset + HEIGHT, 0)], fill=ink, width=step // 4)
        for along in range(0, HEIGHT, step // 2):
            x, y = offset + along + step // 2, HEIGHT - along
            draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=ink)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def portfolio_swatches(count: int) -> list[bytes]:
    return [swatch(*SWATCHES[index % len(SWATCHES)]) for index in range(count)]
