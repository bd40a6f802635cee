"""Conditional GET: an unchanged fragment or page costs a 304 with no body. Litestar leaves
If-None-Match to us.

A handler computes an ETag from what its fragment shows (cheap inputs: a revision counter, the
viewer, the language), asks `unchanged()` before rendering anything, and sends `etag_headers()`
with the fragment it does render. A whole page for a signed-in person adds `viewer_etag()`'s
parts: everything the layout around its content shows."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from litestar import Request, Response
from litestar.utils.scope.state import ScopeState

from server.settings import PROJECT_ROOT
from server.web import i18n
from server.web.render import VARY, wants_fragment

# The header's unread count, as the bell (components/notifications/_bell.html) reads it from
# the request's state.
UNREAD_KEY = "unread_notifications"
# What renders a page: a new release must not answer 304 to a page the old one rendered.
RELEASE_FILES = ("components/**/*", "static/**/*", "server/**/*.py", "server/**/*.mo")

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


@functools.cache
def release() -> str:
    """A digest of the templates, static files, code and catalogues this process serves with."""
    digest = hashlib.sha256()
    for pattern in RELEASE_FILES:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def viewer_etag(request: Request[Any, Any, Any], *parts: Any) -> str:
    """The ETag of a page (or its fragment) for the signed-in person asking: what its content
    shows (`parts`), and around it who looks, in which language and time zone, the header's
    unread count, the CSRF token in its forms, the address asked for and the release."""
    user = request.scope.get("user")
    csrf = ScopeState.from_scope(request.scope).csrf_token
    return etag(
        release(),
        request.url.path,
        request.url.query,
        getattr(user, "account_id", None),
        str(getattr(user, "role", "")),
        i18n.get_locale(),
        str(i18n.get_timezone()),
        request.scope.get("state", {}).get(UNREAD_KEY),
        csrf if isinstance(csrf, str) else None,
        wants_fragment(request),
        *parts,
    )
