"""What the phone's outbox asks before it replays: the CSRF token of this browser, read at
replay time (a token baked in when the form was queued may be gone), and whose items it may
send (the same opaque account key the saved pages are filed under)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.utils.scope.state import ScopeState

from server.auth.guards import current_user
from server.web.errors import describe
from server.web.middleware import account_key
from server.web.refusals import note


@get("/outbox/token")
async def outbox_token(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Signed in: `{"csrf_token", "account"}`; signed out: 401, and the outbox keeps its items."""
    headers = {"Cache-Control": "no-store"}
    user = current_user(request)
    if user is None:
        title, advice = describe(401, "")
        note(request.scope, "signed_out", f"{title}. {advice}")
        return Response(
            {"error": title, "detail": advice},
            status_code=401,
            media_type=MediaType.JSON,
            headers=headers,
        )
    token = ScopeState.from_scope(request.scope).csrf_token
    secret = request.app.state.settings.secret_key
    return Response(
        {"csrf_token": str(token), "account": account_key(secret, user.account_id)},
        media_type=MediaType.JSON,
        headers=headers,
    )
