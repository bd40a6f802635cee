"""A multipart body read and parsed once, before Litestar's CSRF check looks into it."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, HTTPRequestEvent, Receive, ReceiveMessage, Scope, Send

from server.web.errors import CSRF_FAILURE

CSRF_FIELD = "_csrf_token"


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` that hands over the body already read, then waits as the server would."""
    delivered = False

    async def replay() -> ReceiveMessage:
        nonlocal delivered
        if not delivered:
            delivered = True
            event: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": False}
            return event
        return await receive()

    return replay


def multipart_body_middleware(app: ASGIApp) -> ASGIApp:
    """Litestar's CSRF check streams a multipart body to find the `_csrf_token` field and
    keeps only the parsed form: a route that then reads the raw body (every JSON route) would
    wait for bytes that never come, until the client gave up. And a `_csrf_token` sent as a
    file crashes the check. So the body is read here (within the route's size limit) and
    parsed once, where every later reader finds both, and a file as the token is refused."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request: Request[Any, Any, Any] = Request(scope, receive)
            if request.content_type[0] == RequestEncodingType.MULTI_PART:
                body = await request.body()
                form = await request.form()
                if not all(isinstance(token, str) for token in form.getall(CSRF_FIELD, [])):
                    raise PermissionDeniedException(CSRF_FAILURE)
                receive = replaying(body, receive)
        await app(scope, receive, send)

    return middleware
