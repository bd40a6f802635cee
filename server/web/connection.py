"""Each request's statements share one database connection (server.connections)."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from server.connections import shared_connection
from server.db import current_engine

# Paths that never ask the database, or must ask it on a connection of their own (readiness).
NO_DATABASE = ("/static/", "/sw.js", "/manifest.webmanifest", "/healthz")


def shared_connection_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NO_DATABASE):
            await app(scope, receive, send)
            return
        async with shared_connection(current_engine()):
            await app(scope, receive, send)

    return middleware
