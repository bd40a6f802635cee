"""The designer's business profile: one form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from server import regions
from server.auth.guards import designer_only
from server.auth.sessions import CurrentUser
from server.designers import services
from server.designers.refusals import BusinessProfileError
from server.designers.tables import BusinessType
from server.media.refusals import ImageRejected
from server.media.services import store_photo
from server.media.tables import Photo
from server.web.forms import Multipart, upload_bytes
from server.web.refusals import Refused, refused

FIELDS = ("business_name", "business_type", "province", "city", "description")


class BusinessProfileController(Controller):
    path = "/business-profile"
    guards = [designer_only]

    async def page(
        self,
        request: Request[Any, Any, Any],
        *,
        refusal: Refused | None = None,
        field: str = "form",
        form: dict[str, Any] | None = None,
    ) -> Template:
        user: CurrentUser = request.scope["user"]
        profile = await services.profile_of(user.account_id)
        province_code = (
            request.query_params.get("province")
            or (form or {}).get("province")
            or profile["province_code"]
            or ""
        )
        logo = None
        if profile["logo"]:
            logo = await Photo.select().where(Photo.id == profile["logo"]).first()
        return refused(
            request,
            refusal,
            "designers/profile_form.html",
            block="city_field",
            field=field,
            profile=profile,
            errors={},
            form=form or {},
            business_types=list(BusinessType),
            provinces=regions.provinces(),
            province_code=province_code,
            cities=regions.cities(province_code) if province_code else [],
            logo=logo,
        )

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        # Without JavaScript, "show the cities" submits the whole form here: keep what was typed.
        typed = {key: str(value) for key, value in request.query_params.items() if key in FIELDS}
        return await self.page(request, form=typed)

    @post("/", status_code=303)
    async def save(self, request: Request[Any, Any, Any], data: Multipart) -> Any:
        user: CurrentUser = request.scope["user"]
        fields = {key: str(value) for key, value in data.items() if isinstance(value, str)}
        try:
            content = await upload_bytes(data.get("logo"))
            logo_id = None
            if content:
                logo = await store_photo(request.app.state.media, user.account_id, "logo", content)
                logo_id = logo["id"]
            await services.save_profile(user.account_id, fields, logo_id)
        except BusinessProfileError as error:
            return await self.page(request, refusal=error, form=fields)
        except ImageRejected as rejected:
            return await self.page(request, refusal=rejected, field="logo", form=fields)
        return Redirect("/home", status_code=303)
