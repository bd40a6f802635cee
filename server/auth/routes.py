"""Passkey sign-up and sign-in: the pages, and the JSON endpoints the page's script calls."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.accounts import services as accounts
from server.accounts.refusals import AccountError
from server.accounts.services import validate_registration
from server.accounts.tables import Role
from server.accounts.tokens import hash_token, new_token
from server.auth import passkeys
from server.auth.guards import current_user
from server.auth.passkeys import Purpose, RelyingParty
from server.auth.sessions import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    describe_device,
    end_session,
    start_session,
)
from server.settings import Settings
from server.web.refusals import refused
from server.web.render import render
from server.web.urls import safe_next

BROWSER_COOKIE = "cl_browser"
JSONObject = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.JSON)]
FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def relying_party(request: Request[Any, Any, Any]) -> RelyingParty:
    settings: Settings = request.app.state.settings
    return RelyingParty(id=settings.rp_id, origin=settings.public_origin)


def browser_token(request: Request[Any, Any, Any]) -> tuple[str, list[Cookie]]:
    """The random id of this browser, binding challenges to the browser that asked for them."""
    token = request.cookies.get(BROWSER_COOKIE)
    if token:
        return token, []
    token = new_token()
    secure = request.app.state.settings.secure_cookies
    cookie = Cookie(
        key=BROWSER_COOKIE,
        value=token,
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=24 * 3600,
        path="/auth",
    )
    return token, [cookie]


def session_cookie(request: Request[Any, Any, Any], token: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


def expired_session_cookie(request: Request[Any, Any, Any]) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        httponly=True,
        samesite="lax",
        max_age=0,
        secure=request.app.state.settings.secure_cookies,
    )


def json_options(options: str, cookies: list[Cookie]) -> Response[str]:
    return Response(
        options,
        media_type=MediaType.JSON,
        cookies=cookies,
        headers={"Cache-Control": "no-store"},
        status_code=200,
    )


class PasskeyApiController(Controller):
    """The JSON endpoints of ARCHITECTURE.md; verify endpoints take `credential.toJSON()`."""

    path = "/auth"

    @post("/register/options", status_code=200)
    async def register_options(self, request: Request[Any, Any, Any], data: JSONObject) -> Any:
        token, cookies = browser_token(request)
        rp = relying_party(request)
        user = current_user(request)
        try:
            if data.get("enrolment_token"):
                enrolment = str(data["enrolment_token"])
                account = await accounts.enrolment_account(enrolment)
                options = await passkeys.options_for_account(
                    rp, token, account["id"], Purpose.ENROL, hash_token(enrolment)
                )
            elif user is not None:
                options = await passkeys.options_for_account(
                    rp, token, user.account_id, Purpose.ADD
                )
            else:
                registration = validate_registration(
                    str(data.get("role", "")), str(data.get("name", "")), str(data.get("phone", ""))
                )
                options = await passkeys.options_for_new_account(rp, token, registration)
        except AccountError as error:
            return refused(request, error, codes=True)
        return json_options(options, cookies)

    @post("/register/verify", status_code=200)
    async def register_verify(self, request: Request[Any, Any, Any], data: JSONObject) -> Any:
        user = current_user(request)
        token = request.cookies.get(BROWSER_COOKIE, "")
        label = describe_device(request.headers.get("user-agent", ""))
        try:
            registered = await passkeys.finish_registration(
                relying_party(request), token, data, label, user.account_id if user else None
            )
        except AccountError as error:
            return refused(request, error, codes=True)
        cookies: list[Cookie] = []
        if registered.purpose != Purpose.ADD:
            session = await start_session(
                registered.account_id, request.headers.get("user-agent", ""), "passkey"
            )
            cookies.append(session_cookie(request, session))
        unused, _total = await accounts.recovery_code_status(registered.account_id)
        return Response(
            {
                "redirect": "/account/passkeys" if registered.purpose == Purpose.ADD else "/home",
                "issue_recovery_codes": registered.purpose != Purpose.ADD and unused == 0,
            },
            media_type=MediaType.JSON,
            cookies=cookies,
            headers={"Cache-Control": "no-store"},
        )

    @post("/login/options", status_code=200)
    async def login_options(self, request: Request[Any, Any, Any]) -> Any:
        token, cookies = browser_token(request)
        options = await passkeys.authentication_options(relying_party(request), token)
        return json_options(options, cookies)

    @post("/login/verify", status_code=200)
    async def login_verify(self, request: Request[Any, Any, Any], data: JSONObject) -> Any:
        token = request.cookies.get(BROWSER_COOKIE, "")
        try:
            account_id = await passkeys.finish_authentication(relying_party(request), token, data)
        except AccountError as error:
            return refused(request, error, codes=True)
        session = await start_session(account_id, request.headers.get("user-agent", ""), "passkey")
        target = safe_next(request.query_params.get("next"), "/home")
        return Response(
            {"redirect": target},
            media_type=MediaType.JSON,
            cookies=[session_cookie(request, session)],
            headers={"Cache-Control": "no-store"},
        )

    @post("/logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await end_session(token)
        # The browser drops what its HTTP cache still holds of this origin (copies kept before
        # pages were no-store, the back/forward cache); the sign-in page then clears the service
        # worker's saved pages and htmx's history. Not "storage": that would also unregister the
        # service worker, and with it the phone's alerts and the offline shell.
        return Redirect(
            "/login?signed_out=1",
            status_code=303,
            cookies=[expired_session_cookie(request)],
            headers={"Clear-Site-Data": '"cache"'},
        )


class SignInPagesController(Controller):
    """The pages around the passkey ceremonies; they also explain when passkeys cannot work."""

    @get("/register")
    async def register_page(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if current_user(request):
            return Redirect("/home")
        role = request.query_params.get("role", Role.TAILOR)
        return render(request, "auth/register.html", role=role)

    @get("/login")
    async def login_page(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if current_user(request):
            return Redirect("/home")
        return render(
            request,
            "auth/login.html",
            next=safe_next(request.query_params.get("next"), "/home"),
            signed_out=bool(request.query_params.get("signed_out")),
        )

    @get("/recover")
    async def recover_page(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "auth/recover.html", error=None, phone="")

    @post("/recover", status_code=303)
    async def recover(self, request: Request[Any, Any, Any], data: FormData) -> Template | Redirect:
        phone = data.get("phone", "")
        try:
            account_id = await accounts.redeem_recovery_code(
                phone, data.get("code", ""), request.app.state.settings.recovery_code_key
            )
        except AccountError as error:
            # One status for every refusal here: it tells a guesser nothing.
            return refused(request, error, "auth/recover.html", status_code=400, phone=phone)
        session = await start_session(account_id, request.headers.get("user-agent", ""), "recovery")
        return Redirect(
            "/account/passkeys?recovered=1",
            status_code=303,
            cookies=[session_cookie(request, session)],
        )

    @get("/enrol/{token:str}")
    async def enrol_page(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        try:
            account = await accounts.enrolment_account(token)
        except AccountError as error:
            # The link's own page is gone; the passkey API refuses the same link with a 400.
            return refused(
                request, error, "auth/enrol.html", status_code=410, account=None, token=""
            )
        return render(request, "auth/enrol.html", error=None, account=account, token=token)
