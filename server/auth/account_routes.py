"""The signed-in person's own pages: home, passkeys, devices, recovery codes, language."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.accounts import services as accounts
from server.accounts.refusals import AccountError
from server.auth import passkeys, sessions
from server.auth.guards import signed_in, user_of
from server.phones import display_phone
from server.web import i18n
from server.web.refusals import refused
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_STORE = {"Cache-Control": "no-store"}


class AccountController(Controller):
    path = "/account"
    guards = [signed_in]

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        user = user_of(request)
        return render(request, "accounts/account.html", user=user, phone=display_phone(user.phone))

    @post("/language", status_code=303)
    async def language(self, request: Request[Any, Any, Any], data: FormData) -> Redirect:
        locale = data.get("lang", "")
        if locale in i18n.LOCALES:
            await accounts.set_locale(user_of(request).account_id, locale)
        return Redirect("/account", status_code=303)

    # Passkeys ---------------------------------------------------------------------------------

    async def passkeys_page(
        self, request: Request[Any, Any, Any], refusal: AccountError | None = None
    ) -> Template:
        user = user_of(request)
        return refused(
            request,
            refusal,
            "accounts/passkeys.html",
            block="passkeys",
            headers=NO_STORE,
            user=user,
            passkeys=await passkeys.list_passkeys(user.account_id),
            recovered=request.query_params.get("recovered") == "1",
            error=None,
        )

    @get("/passkeys")
    async def list_passkeys(self, request: Request[Any, Any, Any]) -> Template:
        return await self.passkeys_page(request)

    @post("/passkeys/{passkey_id:uuid}/rename", status_code=200)
    async def rename_passkey(
        self, request: Request[Any, Any, Any], passkey_id: FromPath[UUID], data: FormData
    ) -> Template:
        try:
            await passkeys.rename_passkey(
                user_of(request).account_id, passkey_id, data.get("label", "")
            )
        except AccountError as error:
            return await self.passkeys_page(request, error)
        return await self.passkeys_page(request)

    @post("/passkeys/{passkey_id:uuid}/delete", status_code=200)
    async def revoke_passkey(
        self, request: Request[Any, Any, Any], passkey_id: FromPath[UUID]
    ) -> Template:
        try:
            await passkeys.revoke_passkey(user_of(request).account_id, passkey_id)
        except AccountError as error:
            return await self.passkeys_page(request, error)
        return await self.passkeys_page(request)

    # Devices ----------------------------------------------------------------------------------

    async def sessions_page(
        self, request: Request[Any, Any, Any], status_code: int = 200
    ) -> Template:
        user = user_of(request)
        return render(
            request,
            "accounts/sessions.html",
            block="sessions",
            status_code=status_code,
            headers=NO_STORE,
            user=user,
            sessions=await sessions.list_sessions(user.account_id),
        )

    @get("/sessions")
    async def list_sessions(self, request: Request[Any, Any, Any]) -> Template:
        return await self.sessions_page(request)

    @post("/sessions/{session_id:uuid}/delete", status_code=200)
    async def revoke_session(
        self, request: Request[Any, Any, Any], session_id: FromPath[UUID]
    ) -> Template | Redirect:
        user = user_of(request)
        if session_id == user.session_public_id:
            return Redirect("/auth/logout", status_code=307)
        found = await sessions.revoke_session(user.account_id, session_id)
        return await self.sessions_page(request, 200 if found else 404)

    @post("/sessions/sign-out-others", status_code=200)
    async def revoke_other_sessions(self, request: Request[Any, Any, Any]) -> Template:
        user = user_of(request)
        await sessions.revoke_other_sessions(user.account_id, user.session_id)
        return await self.sessions_page(request)

    # Recovery codes ---------------------------------------------------------------------------

    @get("/recovery-codes")
    async def recovery_codes_status(self, request: Request[Any, Any, Any]) -> Template:
        unused, total = await accounts.recovery_code_status(user_of(request).account_id)
        return render(
            request,
            "accounts/recovery_codes.html",
            headers=NO_STORE,
            codes=None,
            unused=unused,
            total=total,
        )

    @post("/recovery-codes", status_code=200)
    async def issue_recovery_codes(
        self, request: Request[Any, Any, Any], data: FormData
    ) -> Template | Redirect:
        """Shown once. Without `regenerate`, existing codes are kept (a reload changes nothing)."""
        account_id = user_of(request).account_id
        unused, _total = await accounts.recovery_code_status(account_id)
        if unused and data.get("regenerate") != "1":
            return Redirect("/account/recovery-codes", status_code=303)
        codes = await accounts.issue_recovery_codes(
            account_id, request.app.state.settings.recovery_code_key
        )
        return render(
            request,
            "accounts/recovery_codes.html",
            headers=NO_STORE,
            codes=codes,
            unused=len(codes),
            total=len(codes),
        )
