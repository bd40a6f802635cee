"""Friendly, translated error pages (or fragments, or JSON) instead of tracebacks."""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from server.web.i18n import gettext as _
from server.web.i18n import ngettext
from server.web.middleware import apply_request_language
from server.web.ratelimit import RateLimited
from server.web.refusals import from_outbox, note
from server.web.render import VARY, render, wants_fragment

logger = logging.getLogger("server.errors")

CSRF_FAILURE = "CSRF token verification failed"


def describe(status: int, detail: str) -> tuple[str, str]:
    """A title and what to do next, in the request's language."""
    if status == 403 and detail == CSRF_FAILURE:
        return (
            _("This form has expired"),
            _("Reload the page and try again. Your data was not sent."),
        )
    texts = {
        400: (
            _("Something in the request is not right"),
            _("Check what you entered and try again."),
        ),
        401: (_("Please sign in"), _("Sign in with your passkey to continue.")),
        403: (_("You cannot open this page"), _("This page is for another kind of account.")),
        404: (_("Page not found"), _("The address may be wrong, or the page has been removed.")),
        405: (_("That action is not possible here"), _("Go back and use the buttons on the page.")),
        413: (_("The file is too large"), _("Choose a smaller file and try again.")),
        503: (_("Clothing Line is busy"), _("Try again in a few minutes.")),
    }
    return texts.get(
        status,
        (
            _("Something went wrong on our side"),
            _("We have been told. Try again in a few minutes."),
        ),
    )


def error_code(status: int, detail: str) -> str:
    """The `Refusal` header's code for an error page."""
    if status == 403 and detail == CSRF_FAILURE:
        return "csrf"
    codes = {401: "signed_out", 403: "forbidden", 404: "not_found", 413: "too_large"}
    return codes.get(status, f"http_{status}")


def wants_json(request: Request[Any, Any, Any]) -> bool:
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    return "application/json" in accept or content_type.startswith("application/json")


def error_response(
    request: Request[Any, Any, Any], status: int, detail: str = ""
) -> Response[Any] | Template:
    # Errors raised before any route (an unknown URL) have not passed the language middleware;
    # after it, the session middleware has put the signed-in account's own language in place.
    if "user" not in request.scope:
        apply_request_language(request.scope)
    title, advice = describe(status, detail)
    note(request.scope, error_code(status, detail), f"{title}. {advice}")
    headers = {"Cache-Control": "no-store"}
    if wants_json(request):
        return Response(
            {"error": title, "detail": advice},
            status_code=status,
            media_type=MediaType.JSON,
            headers=headers,
        )
    return render(
        request,
        "errors/error.html",
        status_code=status,
        headers=headers,
        status=status,
        title=title,
        advice=advice,
    )


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Any:
    # The outbox keeps what it could not send and asks the person to sign in itself.
    if (
        exc.status_code == HTTP_401_UNAUTHORIZED
        and not wants_json(request)
        and not from_outbox(request.scope)
    ):
        return sign_in_redirect(request)
    response = error_response(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def sign_in_redirect(request: Request[Any, Any, Any]) -> Response[Any]:
    """A visitor on a members' page goes to sign in, and comes back afterwards."""
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    target = "/login?" + urlencode({"next": path})
    if getattr(request, "htmx", None):
        return Response(None, status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def undecodable_input_handler(request: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Any:
    """A form part or field that is not UTF-8 (no browser sends one): the request is wrong."""
    return error_response(request, HTTP_400_BAD_REQUEST)


def unexpected_exception_handler(request: Request[Any, Any, Any], exc: Exception) -> Any:
    logger.error(
        "unhandled error on %s %s (user %s)",
        request.method,
        request.url.path,
        request.scope.get("user") or "-",
        exc_info=exc,
    )
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR)


def rate_limited_handler(request: Request[Any, Any, Any], exc: RateLimited) -> Any:
    """When to try again, where the person looks: a page, a notice over the page they are on
    (htmx), or JSON for the passkey and push scripts."""
    if "user" not in request.scope:
        apply_request_language(request.scope)
    minutes = max(1, math.ceil(exc.retry_after / 60))
    title = _("Too many attempts") if exc.signing_in else _("Too many in a short time")
    advice = ngettext("Try again in %(num)s minute.", "Try again in %(num)s minutes.", minutes)
    if not exc.signing_in:
        advice += " " + _("What you sent was not saved.")
    note(request.scope, "rate_limited", f"{title}. {advice}")
    headers = {"Cache-Control": "no-store", "Retry-After": str(exc.retry_after)}
    if wants_json(request):
        return Response(
            {"error": f"{title}. {advice}", "retry_after": exc.retry_after},
            status_code=exc.status_code,
            media_type=MediaType.JSON,
            headers=headers,
        )
    if wants_fragment(request):
        headers |= {**VARY, "HX-Retarget": "#notice", "HX-Reswap": "innerHTML"}
        return Template(
            "errors/_notice.html",
            context={"title": title, "advice": advice},
            status_code=exc.status_code,
            headers=headers,
            media_type=MediaType.HTML,
        )
    return render(
        request,
        "errors/error.html",
        status_code=exc.status_code,
        headers=headers,
        status=exc.status_code,
        title=title,
        advice=advice,
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RateLimited: rate_limited_handler,
    HTTPException: http_exception_handler,
    UnicodeDecodeError: undecodable_input_handler,
    Exception: unexpected_exception_handler,
}
