"""Pages come back compressed (br, else gzip) with a bounded brotli window."""

import gzip
import re
from typing import Any

import brotli
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.compression import (
    BROTLI_LGWIN,
    DeferredCompressionMiddleware,
    ReleasingBrotliCompression,
)

PAGE = "/offline"  # a full page whose HTML is the same on every request but for its time
RENDERED_AT = re.compile(rb' data-rendered-at="[^"]*"')


async def raw(client: AsyncTestClient[Any], encoding: str) -> tuple[str, bytes]:
    """The response's Content-Encoding and its body as it came over the wire."""
    async with client.stream("GET", PAGE, headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        return response.headers.get("content-encoding", "identity"), body


def same_page(one: bytes, other: bytes) -> bool:
    """The same HTML, rendered in the same second or not."""
    return RENDERED_AT.sub(b"", one) == RENDERED_AT.sub(b"", other)


def brotli_window_bits(stream: bytes) -> int:
    """WBITS from a brotli stream's header (RFC 7932, section 9.1)."""
    bits = int.from_bytes(stream[:2], "little")
    if bits & 1 == 0:
        return 16
    if (n := (bits >> 1) & 0b111) != 0:
        return 17 + n
    if (m := (bits >> 4) & 0b111) != 0:
        return 8 + m
    return 17


async def test_pages_compress_with_br_and_gzip_to_the_same_html(
    client: AsyncTestClient[Any],
) -> None:
    encoding, plain = await raw(client, "identity")
    assert encoding == "identity" and b"<html" in plain
    encoding, br_body = await raw(client, "br, gzip")
    assert encoding == "br"
    assert same_page(brotli.decompress(br_body), plain)
    encoding, gzip_body = await raw(client, "gzip")
    assert encoding == "gzip"
    assert same_page(gzip.decompress(gzip_body), plain)
    assert len(br_body) < len(gzip_body) < len(plain)


async def test_brotli_window_is_bounded(client: AsyncTestClient[Any]) -> None:
    _encoding, br_body = await raw(client, "br")
    assert brotli_window_bits(br_body) == BROTLI_LGWIN <= 16  # Litestar's default is 22


def test_app_builds_compressors_late_and_frees_them_early(app: Litestar) -> None:
    config = app.compression_config
    assert config is not None
    assert config.backend == "brotli" and config.gzip_fallback
    assert config.brotli_lgwin == BROTLI_LGWIN
    assert config.middleware_class is DeferredCompressionMiddleware
    assert config.compression_facade is ReleasingBrotliCompression
