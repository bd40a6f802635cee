"""The request's language, and the security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from functools import lru_cache

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server.web import i18n

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
        "worker-src 'self'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), geolocation=(self), microphone=(), payment=()"),
]
# A file under /static/ (script, stylesheet, icon) is never a page: the page headers would only
# weigh on every first visit (a dozen files). Opened on its own (an SVG icon is a document then)
# it may load nothing, run nothing and be framed by nobody.
STATIC_FILE_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'; sandbox"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
STATIC_PREFIX = "/static/"
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
# The service worker files the pages it saves under this opaque key of the signed-in account.
ACCOUNT_HEADER = b"x-account"


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cookie(scope: Scope, name: str) -> str | None:
    """The value of one cookie the request sent (the last one of that name). Every page reads
    two, so the header is split by hand rather than parsed whole by http.cookies."""
    raw = header(scope, b"cookie")
    if not raw or name not in raw:
        return None
    found = None
    for pair in raw.split(";"):
        key, equals, value = pair.partition("=")
        if equals and key.strip() == name:
            found = value.strip()
    if found and len(found) > 1 and found[0] == found[-1] == '"':
        found = found[1:-1]
    return found


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            apply_request_language(scope)
        await app(scope, receive, send)

    return middleware


def apply_request_language(scope: Scope) -> None:
    chosen = cookie(scope, i18n.LANGUAGE_COOKIE)
    i18n.set_locale(i18n.negotiate([chosen], header(scope, b"accept-language")))
    i18n.set_timezone(i18n.DEFAULT_TIMEZONE)


def security_headers_hook(hsts: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A before-send hook, so that errors raised outside any route get the headers too."""
    for_pages = [*SECURITY_HEADERS, *([HSTS] if hsts else [])]
    for_files = [*STATIC_FILE_HEADERS, *([HSTS] if hsts else [])]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            is_file = message["status"] in (200, 304) and scope["path"].startswith(STATIC_PREFIX)
            extra = for_files if is_file else for_pages
            existing = {key.lower() for key, _value in message.get("headers", [])}
            message["headers"] = [
                *message.get("headers", []),
                *(item for item in extra if item[0] not in existing),
            ]

    return add_headers


@lru_cache(maxsize=4096)
def account_key(secret: str, account_id: int) -> str:
    """Stable for an account, meaningless without the server's secret: never the id itself."""
    message = f"saved-pages:{account_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def private_responses_hook(secret: str) -> Callable[[Message, Scope], Awaitable[None]]:
    """Nothing said to a signed-in person stays in the browser's cache or a proxy's: Back after
    signing out, or another person on a shared phone, must not find it there. Responses that
    say they are public (the hashed static files, the manifest) keep their long cache life.
    Documents also carry X-Account, for the service worker's saved pages; htmx requests (polls,
    fragments) never need it, so they stay a few bytes lighter."""

    async def mark_private(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        account_id = getattr(scope.get("user"), "account_id", None)
        if account_id is None:
            return
        headers = list(message.get("headers", []))
        cache_control = b",".join(v for k, v in headers if k.lower() == b"cache-control")
        if b"public" in cache_control:
            return
        replaced = (b"cache-control", b"expires", ACCOUNT_HEADER)
        headers = [(k, v) for k, v in headers if k.lower() not in replaced]
        headers.append((b"cache-control", b"no-store"))
        if header(scope, b"hx-request") is None:
            headers.append((ACCOUNT_HEADER, account_key(secret, account_id).encode()))
        message["headers"] = headers

    return mark_private
