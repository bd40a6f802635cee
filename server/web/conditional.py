"""Conditional GET for the fragments a page polls: an unchanged fragment costs a 304 with no
body. Litestar leaves If-None-Match to us.

A handler computes an ETag from what its fragment shows (cheap inputs: a revision counter, the
viewer, the language), asks `unchanged()` before rendering anything, and sends `etag_headers()`
with the fragment it does render."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Request, Response

from server.web.render import VARY

# Kept by nobody: the page sends the ETag it was rendered with itself (If-None-Match in
# hx-headers), so a poll stays a bodiless 304 without the browser holding a copy.
CACHE_CONTROL = "no-store"


def etag(*parts: Any) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f'W/"{digest}"'


def matches(request: Request[Any, Any, Any], tag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == wanted for candidate in header.split(","))


def etag_headers(tag: str) -> dict[str, str]:
    return {"ETag": tag, "Cache-Control": CACHE_CONTROL, **VARY}


def unchanged(request: Request[Any, Any, Any], tag: str) -> Response[bytes] | None:
    """A 304 with no body when the browser already holds this version, else None."""
    if not matches(request, tag):
        return None
    return Response(content=b"", status_code=304, headers=etag_headers(tag))
