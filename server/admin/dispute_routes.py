"""The admin's disputes: the list, one dispute with the whole order, and the decision."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.admin import disputes
from server.admin.refusals import AdminError
from server.auth.guards import admin_only, user_of
from server.orders.production.services import stage_names
from server.orders.tables import DisputeOutcome
from server.phones import display_phone
from server.web.refusals import refused
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
OUTCOMES = tuple(str(outcome) for outcome in DisputeOutcome)


def phone_of(e164: str | None) -> str:
    return display_phone(e164) if e164 else ""


class AdminDisputesController(Controller):
    path = "/admin/disputes"
    guards = [admin_only]

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        waiting, decided = await disputes.disputes()
        return render(request, "admin/disputes.html", waiting=waiting, decided=decided)

    async def dispute_page(
        self,
        request: Request[Any, Any, Any],
        public_id: UUID,
        *,
        error: AdminError | None = None,
        form: dict[str, str] | None = None,
    ) -> Template:
        detail = await disputes.dispute_detail(public_id)
        if detail is None:
            raise NotFoundException()
        decided = request.query_params.get("decided", "")
        order = detail["order"]
        return refused(
            request,
            error,
            "admin/dispute.html",
            **detail,
            stage_names=stage_names(),
            designer_phone=phone_of(order["designer_phone"]),
            tailor_phone=phone_of(order["tailor_phone"]),
            error=None,
            error_field=error.field if error else None,
            form=form or {},
            decided=decided if decided in OUTCOMES else "",
            decision_range=(disputes.DECISION_MIN, disputes.DECISION_MAX),
        )

    @get("/{public_id:uuid}")
    async def dispute(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Template:
        return await self.dispute_page(request, public_id)

    @post("/{public_id:uuid}/decision", status_code=303)
    async def decide(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        if await disputes.dispute_detail(public_id) is None:
            raise NotFoundException()
        form = {"outcome": data.get("outcome", ""), "decision": data.get("decision", "")}
        try:
            outcome = await disputes.decide(
                public_id, user_of(request).account_id, form["outcome"], form["decision"]
            )
        except AdminError as refusal:
            return await self.dispute_page(request, public_id, error=refusal, form=form)
        return Redirect(f"/admin/disputes/{public_id}?decided={outcome}", status_code=303)
