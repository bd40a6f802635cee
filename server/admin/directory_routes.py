"""The tailor directory: filters, paging, CSV export, suspension."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server import regions
from server.accounts.tables import Account, Role
from server.admin import directory, moderation
from server.admin.labels import verification_labels
from server.admin.refusals import AdminError
from server.auth.guards import admin_only
from server.auth.sessions import CurrentUser
from server.garments import CATEGORIES, category_labels
from server.phones import display_phone
from server.tailors.tables import Verification
from server.web import i18n
from server.web.i18n import gettext as _
from server.web.refusals import refused
from server.web.render import render, wants_fragment

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def query_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in request.query_params.items()}


def back_to(raw: str) -> str:
    """Only back into the directory, never to another site."""
    return raw if raw.startswith("/admin/tailors") and "//" not in raw else "/admin/tailors"


def shared_context() -> dict[str, Any]:
    return {
        "categories": category_labels(),
        "statuses": verification_labels(),
        "display_phone": display_phone,
        "city_of": regions.city,
    }


class AdminTailorsController(Controller):
    path = "/admin"
    guards = [admin_only]

    @get("/tailors")
    async def directory(self, request: Request[Any, Any, Any]) -> Template:
        params = query_of(request)
        chosen = directory.parse_filter(params)
        page = directory.parse_page(params.get("page", "1"))
        found = await directory.find_tailors(chosen, page, i18n.local_today())
        query = chosen.query_items()
        return render(
            request,
            "admin/tailors.html",
            block="results",
            chosen=chosen,
            found=found,
            query=urlencode(query),
            page_url=lambda number: "/admin/tailors?" + urlencode({**query, "page": number}),
            here=request.url.path + ("?" + request.url.query if request.url.query else ""),
            provinces=regions.provinces(),
            cities=regions.cities(chosen.province or None),
            skill_codes=CATEGORIES,
            status_codes=list(Verification),
            oob=wants_fragment(request),
            **shared_context(),
        )

    @get("/tailors.csv")
    async def export(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        chosen = directory.parse_filter(query_of(request))
        rows = await directory.all_tailors(chosen, i18n.local_today())
        header = [
            _("Name"),
            _("WhatsApp number"),
            _("Province"),
            _("City"),
            _("Skills"),
            _("Status"),
            _("Weekly capacity"),
            _("Minimum order"),
        ]
        body = directory.to_csv(
            header,
            directory.export_rows(rows, category_labels(), verification_labels(), _("suspended")),
        )
        return Response(
            body.encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="tailors.csv"',
                "Cache-Control": "no-store",
            },
        )

    async def change_status(
        self, request: Request[Any, Any, Any], public_id: UUID, suspend: bool, data: dict[str, str]
    ) -> Any:
        admin: CurrentUser = request.scope["user"]
        account = await (
            Account.select(Account.id)
            .where((Account.public_id == public_id) & (Account.role == Role.TAILOR))
            .first()
        )
        if account is None:
            raise NotFoundException()
        refusal = None
        try:
            await moderation.set_suspended(
                account["id"], admin.account_id, suspend, data.get("reason", "")
            )
        except AdminError as error:
            refusal = error
        if refusal is None and not wants_fragment(request):
            return Redirect(back_to(data.get("next", "")), status_code=303)
        row = await directory.tailor_row(public_id, i18n.local_today())
        return refused(
            request,
            refusal,
            "admin/tailor.html",
            block="row",
            row=row,
            error=None,
            reason=data.get("reason", "") if refusal else "",
            here=back_to(data.get("next", "")),
            **shared_context(),
        )

    @post("/tailors/{public_id:uuid}/suspend", status_code=303)
    async def suspend(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        return await self.change_status(request, public_id, True, data)

    @post("/tailors/{public_id:uuid}/reinstate", status_code=303)
    async def reinstate(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        return await self.change_status(request, public_id, False, data)
