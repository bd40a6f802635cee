"""Demo mode (DEMO=1 or `serve --demo`): sign in as a demo account, no passkey. It gives anyone
who reaches it an admin, so it starts only on a loopback address and origin, and answers only
browsers on this machine talking to it directly (see `server.web.loopback`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Body
from litestar.response import Redirect, Template

from server.accounts.services import Registration, insert_account, new_webauthn_user_id
from server.accounts.tables import Account, Role
from server.auth.middleware import DEMO_METHOD
from server.auth.routes import session_cookie
from server.auth.sessions import start_session
from server.db import transaction
from server.web.loopback import is_local_request, is_loopback_host, is_loopback_origin
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

DEMO_ACCOUNTS = [
    Registration(role=Role.TAILOR, name="Siti Rahayu", phone="+6281200000001"),
    Registration(role=Role.DESIGNER, name="Dewi Lestari (Batik Kirana)", phone="+6281200000002"),
    Registration(role=Role.ADMIN, name="Budi Santoso (Kemenperin)", phone="+6281200000003"),
]


class DemoModeRefused(RuntimeError):
    pass


def check_demo_host(host: str) -> None:
    """Demo sign-in skips passkeys, so it may only ever listen on this machine."""
    if not is_loopback_host(host):
        raise DemoModeRefused(f"demo mode only binds to a loopback address, not {host!r}")


def check_demo_settings(host: str, public_origin: str) -> None:
    """A public PUBLIC_ORIGIN means a proxy brings visitors in, whatever address we bind."""
    if not is_loopback_origin(public_origin):
        raise DemoModeRefused(
            "demo mode only runs with a loopback PUBLIC_ORIGIN such as http://localhost:8000, "
            f"not {public_origin!r}"
        )
    check_demo_host(host)


async def local_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Anyone else sees no demo at all."""
    if not is_local_request(connection.scope):
        raise NotFoundException()


async def ensure_demo_accounts() -> None:
    async with transaction():
        for registration in DEMO_ACCOUNTS:
            if not await Account.exists().where(Account.phone == registration.phone):
                await insert_account(registration, new_webauthn_user_id())


class DemoController(Controller):
    path = "/demo"
    guards = [local_only]

    @get("/")
    async def choose(self, request: Request[Any, Any, Any]) -> Template:
        phones = [registration.phone for registration in DEMO_ACCOUNTS]
        rows = await Account.select(Account.name, Account.role, Account.phone).where(
            Account.phone.is_in(phones)
        )
        return render(request, "demo/choose.html", accounts=rows)

    @post("/sign-in", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any], data: FormData) -> Redirect:
        phones = {registration.phone for registration in DEMO_ACCOUNTS}
        phone = data.get("phone", "")
        account = await Account.select(Account.id).where(Account.phone == phone).first()
        if phone not in phones or account is None:
            raise NotFoundException()
        token = await start_session(
            account["id"], request.headers.get("user-agent", ""), DEMO_METHOD
        )
        return Redirect("/home", status_code=303, cookies=[session_cookie(request, token)])
