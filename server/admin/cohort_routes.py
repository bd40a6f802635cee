"""Training cohorts: create them, follow each participant, enrol a whole class at once."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server import regions
from server.admin import cohorts
from server.admin.labels import participant_stage_labels
from server.admin.refusals import AdminError
from server.admin.routes import NO_STORE, enrolment_url
from server.auth.guards import admin_only
from server.auth.sessions import CurrentUser
from server.phones import display_phone, whatsapp_link
from server.web import i18n
from server.web.refusals import refused
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def N_(message: str) -> str:  # the gettext marker: translated where it is used
    return message


# Sent to the tailor, who reads Indonesian whatever language the admin's screen is in.
INVITE_MESSAGE = N_(
    "Hello %(name)s, this is your link to join Clothing Line and make your passkey. "
    "It works once, within 24 hours: %(url)s"
)


def whatsapp_invite(phone: str, name: str, url: str) -> str:
    text = i18n.translations_for("id").ugettext(INVITE_MESSAGE) % {"name": name, "url": url}
    return f"{whatsapp_link(phone)}?text={quote(text)}"


class AdminCohortsController(Controller):
    path = "/admin/cohorts"
    guards = [admin_only]

    @get("/")
    async def list_cohorts(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "admin/cohorts.html", cohorts=await cohorts.list_cohorts())

    def form_page(
        self,
        request: Request[Any, Any, Any],
        form: dict[str, str],
        error: AdminError | None = None,
    ) -> Template:
        return refused(
            request,
            error,
            "admin/cohort_new.html",
            field="form",
            form=form,
            errors={},
            provinces=regions.provinces(),
        )

    @get("/new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return self.form_page(request, {})

    @post("/", status_code=303)
    async def create(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        try:
            public_id = await cohorts.create_cohort(cohorts.parse_cohort(data))
        except AdminError as error:
            return self.form_page(request, data, error)
        return Redirect(f"/admin/cohorts/{public_id}", status_code=303)

    async def cohort_of(self, public_id: UUID) -> dict[str, Any]:
        cohort = await cohorts.get_cohort(public_id)
        if cohort is None:
            raise NotFoundException()
        return cohort

    async def cohort_page(
        self,
        request: Request[Any, Any, Any],
        cohort: dict[str, Any],
        *,
        form: dict[str, str] | None = None,
        error: AdminError | None = None,
    ) -> Template:
        return refused(
            request,
            error,
            "admin/cohort.html",
            field="form",
            cohort=cohort,
            members=await cohorts.participants(cohort["id"], i18n.local_today()),
            stages=participant_stage_labels(),
            display_phone=display_phone,
            form=form or {},
            errors={},
            added=request.query_params.get("added") == "1",
        )

    @get("/{public_id:uuid}")
    async def show(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Template:
        return await self.cohort_page(request, await self.cohort_of(public_id))

    @post("/{public_id:uuid}/members", status_code=303)
    async def add_member(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        cohort = await self.cohort_of(public_id)
        try:
            await cohorts.add_member_by_phone(cohort["id"], data.get("phone", ""))
        except AdminError as error:
            return await self.cohort_page(request, cohort, form=data, error=error)
        return Redirect(f"/admin/cohorts/{public_id}?added=1", status_code=303)

    @post("/{public_id:uuid}/enrolments", status_code=200)
    async def enrol(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Template:
        admin: CurrentUser = request.scope["user"]
        cohort = await self.cohort_of(public_id)
        try:
            enrolled = await cohorts.enrol_batch(
                cohort["id"], data.get("lines", ""), admin.account_id
            )
        except AdminError as error:
            return await self.cohort_page(request, cohort, form=data, error=error)
        links = []
        for person in enrolled:
            url = enrolment_url(request, person.token)
            links.append(
                {
                    "name": person.name,
                    "phone": display_phone(person.phone),
                    "url": url,
                    "whatsapp": whatsapp_invite(person.phone, person.name, url),
                }
            )
        return render(
            request, "admin/cohort_enrolled.html", headers=NO_STORE, cohort=cohort, links=links
        )
