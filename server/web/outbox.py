"""Requests from the phone's outbox: an action queued without signal and replayed later
carries `Idempotency-Key` or `Outbox: 1`. Nobody looks at such an answer as it arrives, so a
refusal also says why in two headers the outbox shows ("tidak terkirim: ..."): `Refusal`, its
code, and `Refusal-Text`, its text in the person's language as percent-encoded UTF-8 (what
JavaScript's decodeURIComponent reads). The whole contract: the README's "The offline
outbox"."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server.web.errors import describe
from server.web.refusals import TOLD_KEY, from_outbox, listen

REFUSAL_HEADER = b"refusal"
REFUSAL_TEXT_HEADER = b"refusal-text"


def outbox_middleware(app: ASGIApp) -> ASGIApp:
    """First of the app's middleware: what an outbox request is refused is noted from here on."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            listen(scope)
        await app(scope, receive, send)

    return middleware


async def refusal_headers_hook(message: Message, scope: Scope) -> None:
    """A before-send hook, so that refusals raised before any route (CSRF, an unknown URL, a
    missing session) carry the headers too."""
    if message["type"] != "http.response.start" or not from_outbox(scope):
        return
    status = message["status"]
    if not 400 <= status < 500:
        return
    told: list[tuple[str, str]] = cast(dict[str, Any], scope).get(TOLD_KEY) or []
    if told:
        code, text = told[0]
    else:
        code, text = f"http_{status}", " ".join(describe(status, ""))
    message["headers"] = [
        *message.get("headers", []),
        (REFUSAL_HEADER, code.encode("ascii", "replace")),
        (REFUSAL_TEXT_HEADER, quote(text, safe="").encode("ascii")),
    ]
