"""The app as `clothingline serve` builds it, answering each request with the number of
statements it ran and database connections it took (X-Queries, X-Connections). Only for
benchmarks/cpu.py, which serves it with uvicorn: `uvicorn benchmarks.counted_app:create_app
--factory`. Requests must come one at a time for the counts to be the request's own."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server.app import create_app as create_product_app
from server.settings import get_settings
from tests import query_count


def create_app() -> ASGIApp:
    query_count.install()
    app = create_product_app(get_settings())

    async def counted(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        before = query_count.snapshot()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                used = query_count.snapshot().since(before)
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-queries", str(used.queries).encode()),
                    (b"x-connections", str(used.connections).encode()),
                ]
            await send(message)

        await app(scope, receive, sending)

    return counted
