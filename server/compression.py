"""Response compression with bounded memory: brotli for browsers that accept it, else gzip.

Litestar's compression middleware builds its compressor when a request comes in, so every
request in flight holds one while its handler waits on the database, and brotli's default
window (lgwin 22) makes that about 1.3 MB each: 200 concurrent page loads took a process from
130 MB to 490 MB. Here the compressor is built only when the response starts (its body follows
at once), and brotli's window is 64 KiB (lgwin 16), larger than any page we render, so pages
compress as small as before. A reverse proxy may compress instead (README: Deploying).
"""

from __future__ import annotations

from typing import Literal

from litestar.config.compression import CompressionConfig
from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware
from litestar.middleware.compression.brotli_facade import BrotliCompression
from litestar.types import Message, Scope, Send

# log2 of brotli's sliding window: 64 KiB (Litestar's default, 22, is 4 MiB).
BROTLI_LGWIN = 16
BROTLI_QUALITY = 5  # Litestar's default


class ReleasingBrotliCompression(BrotliCompression):
    """Frees the encoder as soon as the body is complete, not when the request is collected."""

    __slots__ = ()

    def close(self) -> None:
        super().close()
        self.compressor = None


class DeferredCompressionMiddleware(CompressionMiddleware):
    """Creates the compressor when the response starts, not when the request comes in."""

    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: Literal[CompressionEncoding.BROTLI, CompressionEncoding.GZIP] | str,
        scope: Scope,
    ) -> Send:
        wrapped: Send | None = None

        async def send_wrapper(message: Message) -> None:
            nonlocal wrapped
            if wrapped is None:
                wrapped = CompressionMiddleware.create_compression_send_wrapper(
                    self, send=send, compression_encoding=compression_encoding, scope=scope
                )
            await wrapped(message)

        return send_wrapper


def compression_config() -> CompressionConfig:
    """Pages and fragments compressed; static files are served precompressed."""
    config = CompressionConfig(
        backend="brotli",
        brotli_gzip_fallback=True,
        brotli_lgwin=BROTLI_LGWIN,
        brotli_quality=BROTLI_QUALITY,
        middleware_class=DeferredCompressionMiddleware,
        exclude=["^/static/"],
    )
    config.compression_facade = ReleasingBrotliCompression
    return config
