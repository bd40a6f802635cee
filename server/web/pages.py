"""The public pages every visitor sees: home, offline fallback, language switch."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from server.web import i18n
from server.web.render import render
from server.web.urls import safe_next

OFFLINE_CACHE_HEADER = "Offline-Cache"
ONE_YEAR = 365 * 24 * 3600


@get("/", sync_to_thread=False)
def home(request: Request[Any, Any, Any]) -> Template:
    return render(request, "pages/home.html", headers={OFFLINE_CACHE_HEADER: "page"})


@get("/offline", sync_to_thread=False)
def offline(request: Request[Any, Any, Any]) -> Template:
    return render(request, "pages/offline.html")


@post("/language", status_code=303, sync_to_thread=False)
def choose_language(
    request: Request[Any, Any, Any],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[Any]:
    locale = data.get("lang", "")
    target = safe_next(data.get("next"))
    if locale not in i18n.LOCALES:
        return Redirect(target, status_code=303)
    return Redirect(
        target,
        status_code=303,
        cookies=[
            Cookie(
                key=i18n.LANGUAGE_COOKIE,
                value=locale,
                max_age=ONE_YEAR,
                samesite="lax",
                httponly=True,
                secure=request.app.state.settings.secure_cookies,
            )
        ],
    )
