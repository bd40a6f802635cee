"""Static files under content-hashed, immutable URLs, compressed once at start-up."""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from server.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = ("text/", "application/javascript", "image/svg+xml", "application/json")

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("image/webp", ".webp")


@dataclass(frozen=True)
class Asset:
    path: str
    digest: str
    media_type: str
    body: bytes
    brotli: bytes | None
    gzip: bytes | None

    @property
    def url(self) -> str:
        return f"/static/{self.digest}/{self.path}"


@functools.lru_cache(maxsize=128)
def compressed(body: bytes) -> tuple[bytes, bytes]:
    """Brotli and gzip at their best (slow): done once per content in a process, however many
    apps are built in it."""
    return brotli.compress(body, quality=11), gzip.compress(body, compresslevel=9, mtime=0)


def load_asset(root: Path, file: Path) -> Asset:
    body = file.read_bytes()
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    compressible = media_type.startswith(COMPRESSIBLE) and len(body) > 500
    brotli_body, gzip_body = compressed(body) if compressible else (None, None)
    return Asset(
        path=file.relative_to(root).as_posix(),
        digest=hashlib.sha256(body).hexdigest()[:12],
        media_type=media_type,
        body=body,
        brotli=brotli_body,
        gzip=gzip_body,
    )


class AssetCatalogue:
    def __init__(self, root: Path = STATIC_DIR) -> None:
        self.assets = {
            asset.path: asset
            for asset in (load_asset(root, f) for f in sorted(root.rglob("*")) if f.is_file())
        }

    def url(self, path: str) -> str:
        return self.assets[path].url

    def get(self, path: str) -> Asset | None:
        return self.assets.get(path)

    @property
    def fingerprint(self) -> str:
        digests = "".join(a.digest for a in self.assets.values())
        return hashlib.sha256(digests.encode()).hexdigest()[:12]


def encoded_body(asset: Asset, accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    accepted = {part.split(";")[0].strip() for part in accept_encoding.split(",")}
    if asset.brotli is not None and "br" in accepted:
        return asset.brotli, {"Content-Encoding": "br", "Vary": "Accept-Encoding"}
    if asset.gzip is not None and "gzip" in accepted:
        return asset.gzip, {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return asset.body, ({"Vary": "Accept-Encoding"} if asset.brotli else {})


@get("/static/{digest:str}/{path:path}", include_in_schema=False, sync_to_thread=False)
def static_file(request: Request, digest: FromPath[str], path: FromPath[Path]) -> Response[bytes]:
    catalogue: AssetCatalogue = request.app.state.assets
    asset = catalogue.get(path.as_posix().lstrip("/"))
    if asset is None:
        raise NotFoundException()
    body, headers = encoded_body(asset, request.headers.get("accept-encoding", ""))
    # An old digest still gets today's file, but must not be cached for long.
    headers["Cache-Control"] = IMMUTABLE if digest == asset.digest else "no-cache"
    return Response(body, media_type=asset.media_type, headers=headers)
