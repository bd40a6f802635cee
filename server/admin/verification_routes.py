"""The certificate verification queue: look, decide, and the next one loads."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server import regions
from server.admin import cohorts, verification
from server.auth.guards import admin_only
from server.auth.sessions import CurrentUser
from server.phones import display_phone
from server.tailors.refusals import ProfileError
from server.tailors.services import decide_certificate
from server.web.refusals import refused
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
DECISIONS = ("approved", "rejected")


class AdminVerificationController(Controller):
    path = "/admin/verifications"
    guards = [admin_only]

    @get("/")
    async def queue(self, request: Request[Any, Any, Any]) -> Template:
        decided = request.query_params.get("decided", "")
        params = {key: str(value) for key, value in request.query_params.items()}
        all_cohorts = await cohorts.list_cohorts()
        chosen = verification.parse_queue_filter(params, [row["public_id"] for row in all_cohorts])
        return render(
            request,
            "admin/verifications.html",
            block="results",
            chosen=chosen,
            filtered=bool(chosen.query_items()),
            queue=await verification.pending_queue(chosen),
            found=await verification.pending_count(chosen),
            count=await verification.pending_count(),
            oldest=await verification.next_pending(),
            provinces=regions.provinces(),
            cohorts=all_cohorts,
            display_phone=display_phone,
            decided=decided if decided in DECISIONS else "",
        )

    async def item_page(
        self,
        request: Request[Any, Any, Any],
        public_id: UUID,
        *,
        refusal: ProfileError | None = None,
        reason: str = "",
    ) -> Template:
        certificate = await verification.certificate_detail(public_id)
        if certificate is None:
            raise NotFoundException()
        decided = request.query_params.get("decided", "")
        return refused(
            request,
            refusal,
            "admin/verification.html",
            certificate=certificate,
            phone=display_phone(certificate["phone"]),
            count=await verification.pending_count(),
            error=None,
            reason=reason,
            decided=decided if decided in DECISIONS else "",
        )

    @get("/{public_id:uuid}")
    async def item(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Template:
        return await self.item_page(request, public_id)

    async def decide(
        self, request: Request[Any, Any, Any], public_id: UUID, approve: bool, reason: str
    ) -> Any:
        admin: CurrentUser = request.scope["user"]
        if await verification.certificate_detail(public_id) is None:
            raise NotFoundException()
        try:
            await decide_certificate(public_id, admin.account_id, approve, reason)
        except ProfileError as refusal:
            return await self.item_page(request, public_id, refusal=refusal, reason=reason)
        decided = "approved" if approve else "rejected"
        following = await verification.next_pending()
        target = f"/admin/verifications/{following}" if following else "/admin/verifications"
        return Redirect(f"{target}?decided={decided}", status_code=303)

    @post("/{public_id:uuid}/approve", status_code=303)
    async def approve(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Any:
        return await self.decide(request, public_id, True, "")

    @post("/{public_id:uuid}/reject", status_code=303)
    async def reject(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        return await self.decide(request, public_id, False, data.get("reason", ""))
