"""Who is asking: the session cookie becomes `request.user` (a CurrentUser, or None)."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from server.auth.sessions import SESSION_COOKIE, load_session
from server.web import i18n
from server.web.loopback import is_local_request
from server.web.middleware import cookie

DEMO_METHOD = "demo"  # sessions started by server.demo, which skip the passkey
# The same for everyone, whoever asks: a browser sends its cookie with every file, and each
# would cost a session look-up.
ANONYMOUS_PATHS = ("/static/", "/healthz")


async def identify(scope: Scope) -> None:
    """The session cookie's account, its language and time zone for this request."""
    token = cookie(scope, SESSION_COOKIE)
    user = await load_session(token) if token else None
    if user is not None and user.session_method == DEMO_METHOD:
        # A demo account is only ever used from this machine, never through a proxy.
        user = user if is_local_request(scope) else None
    scope["user"] = user
    if user is not None:
        if user.locale:
            i18n.set_locale(user.locale)
        i18n.set_timezone(user.timezone)


def session_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["user"] = None
            if not scope["path"].startswith(ANONYMOUS_PATHS):
                await identify(scope)
        await app(scope, receive, send)

    return middleware
