"""The home screen, after sign-in: what each role should do next. It gathers from several
domains (the tailor's switch and work, the designer's first steps, this device's alerts, the
recovery codes left), so it sits above them; no domain imports it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from server.accounts import services as accounts
from server.accounts.tables import Role
from server.auth.guards import signed_in, user_of
from server.designers.services import home_steps
from server.notifications.subscriptions import session_has_subscription
from server.orders.lists.summary import tailor_work
from server.orders.posting.services import has_posted
from server.tailors.services import home_summary
from server.web.render import render


async def first_steps(designer_id: int) -> dict[str, bool]:
    """What the designer's home suggests first: a profile, then an order."""
    return {**await home_steps(designer_id), "order": await has_posted(designer_id)}


class HomeController(Controller):
    guards = [signed_in]

    @get("/home")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        user = user_of(request)
        unused, total = await accounts.recovery_code_status(user.account_id)
        return render(
            request,
            "accounts/home.html",
            user=user,
            tailor=await home_summary(user.account_id) if user.role == Role.TAILOR else None,
            work=await tailor_work(user.account_id) if user.role == Role.TAILOR else None,
            first_steps=await first_steps(user.account_id) if user.role == Role.DESIGNER else None,
            application_server_key=request.app.state.vapid.public_key,
            this_device_on=await session_has_subscription(user.session_id),
            recovery_codes_left=unused,
            recovery_codes_total=total,
        )
