"""The bell in the header: the unread count, read with the session (server.auth.sessions)."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

STATE_KEY = "unread_notifications"
# Files, JSON and the service worker's calls never show the header.
NOT_PAGES = (
    "/static/",
    "/media/",
    "/push/",
    "/auth/",
    "/sw.js",
    "/manifest.webmanifest",
    "/healthz",
)


def shows_header(scope: Scope) -> bool:
    if scope["path"].startswith(NOT_PAGES):
        return False
    headers = dict(scope.get("headers", []))
    if b"application/json" in headers.get(b"accept", b""):
        return False
    # A targeted htmx swap gets a block without the header; a boosted one gets the whole page.
    return b"hx-request" not in headers or b"hx-boosted" in headers


def unread_count_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user") if scope["type"] == "http" else None
        if user is not None and shows_header(scope):
            scope.setdefault("state", {})[STATE_KEY] = user.unread_notifications
        await app(scope, receive, send)

    return middleware
