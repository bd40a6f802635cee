"""Tailor onboarding in short steps (each saves), the availability switch, public profiles."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server import regions
from server.accounts.tables import Account, Role
from server.auth.guards import current_user, tailor_only, user_of
from server.garments import category_labels, equipment_labels
from server.media.refusals import ImageRejected
from server.media.services import MediaStore, delete_photo, store_photo
from server.media.tables import Photo
from server.tailors import services
from server.tailors.refusals import ProfileError
from server.tailors.tables import Verification
from server.web.forms import Multipart, as_texts, upload_bytes
from server.web.refusals import Refused, refused
from server.web.render import render

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
STEPS = services.ONBOARDING_STEPS


class OnboardingController(Controller):
    path = "/onboarding"
    guards = [tailor_only]

    async def step_page(
        self,
        request: Request[Any, Any, Any],
        step: str,
        *,
        refusal: Refused | None = None,
        field: str = "form",
        form: dict[str, Any] | None = None,
    ) -> Template:
        """The step's form; a refusal marks `refusal.field`, else `field`."""
        user = user_of(request)
        profile = await services.profile_of(user.account_id)
        province_code = request.query_params.get("province") or profile["province_code"] or ""
        return refused(
            request,
            refusal,
            f"tailors/onboarding_{step}.html",
            block="step",
            field=field,
            steps=STEPS,
            step=step,
            profile=profile,
            skills=await services.skills_of(profile["id"]),
            errors={},
            form=form or {},
            provinces=regions.provinces(),
            province_code=province_code,
            cities=regions.cities(province_code) if province_code else [],
            city=regions.city(profile["city_code"] or ""),
            categories=category_labels(),
            equipment=equipment_labels(),
            photos=await services.portfolio(user.account_id),
            portfolio_max=services.PORTFOLIO_MAX,
            certificate=await services.latest_certificate(user.account_id),
            verification=services.effective_verification(profile),
        )

    def next_step(self, step: str) -> Redirect:
        index = STEPS.index(step)
        target = f"/onboarding/{STEPS[index + 1]}" if index + 1 < len(STEPS) else "/home"
        return Redirect(target, status_code=303)

    @get("/")
    async def start(self) -> Redirect:
        return Redirect("/onboarding/location")

    # One path per step: a "/{step:str}" GET loses to each step's own POST route (405 on GET).
    @get([f"/{step}" for step in STEPS])
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await self.step_page(request, request.url.path.rstrip("/").rsplit("/", 1)[-1])

    @post("/location", status_code=303)
    async def save_location(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        try:
            await services.save_location(
                user_of(request).account_id,
                city_code=str(data.get("city", "")),
                latitude=str(data.get("latitude", "")),
                longitude=str(data.get("longitude", "")),
            )
        except ProfileError as error:
            return await self.step_page(request, "location", refusal=error, field="city", form=data)
        return self.next_step("location")

    @post("/work", status_code=303)
    async def save_work(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        try:
            await services.save_work(
                user_of(request).account_id,
                skills=as_texts(data.get("skills")),
                equipment=as_texts(data.get("equipment")),
                radius=str(data.get("radius", "")),
                capacity=str(data.get("capacity", "")),
                minimum_order=str(data.get("minimum_order", "")),
            )
        except ProfileError as error:
            return await self.step_page(request, "work", refusal=error, field="skills", form=data)
        return self.next_step("work")

    @post("/about", status_code=303)
    async def save_about(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        try:
            await services.save_bio(user_of(request).account_id, str(data.get("bio", "")))
        except ProfileError as error:
            return await self.step_page(request, "about", refusal=error, field="bio", form=data)
        return self.next_step("about")

    @post("/portfolio", status_code=303)
    async def add_portfolio_photo(self, request: Request[Any, Any, Any], data: Multipart) -> Any:
        user = user_of(request)
        try:
            if not await services.portfolio_has_room(user.account_id):
                raise ProfileError("portfolio_full", "photo")
            content = await upload_bytes(data.get("photo"))
            store: MediaStore = request.app.state.media
            await store_photo(store, user.account_id, "portfolio", content)
        except (ProfileError, ImageRejected) as error:
            return await self.step_page(request, "portfolio", refusal=error, field="photo")
        return await self.step_page(request, "portfolio")

    @post("/portfolio/{photo_id:uuid}/delete", status_code=200)
    async def remove_portfolio_photo(
        self, request: Request[Any, Any, Any], photo_id: FromPath[UUID]
    ) -> Template:
        user = user_of(request)
        row = (
            await Photo.select(Photo.id)
            .where(
                (Photo.public_id == photo_id)
                & (Photo.owner == user.account_id)
                & (Photo.kind == "portfolio")
            )
            .first()
        )
        if row is None:
            raise NotFoundException()
        await delete_photo(request.app.state.media, row["id"])
        return await self.step_page(request, "portfolio")

    @post("/certificate", status_code=303)
    async def submit_certificate(self, request: Request[Any, Any, Any], data: Multipart) -> Any:
        user = user_of(request)
        fields = {key: str(value) for key, value in data.items() if isinstance(value, str)}
        try:
            form = services.parse_certificate(fields)
            content = await upload_bytes(data.get("photo"))
            if not content:
                raise ProfileError("photo_required", "photo")
            await services.check_can_submit(user.account_id)
            store: MediaStore = request.app.state.media
            photo = await store_photo(store, user.account_id, "certificate", content)
            try:
                await services.submit_certificate(user.account_id, form, photo["id"])
            except ProfileError:
                await delete_photo(store, photo["id"])
                raise
        except ProfileError as error:
            return await self.step_page(request, "certificate", refusal=error, form=fields)
        except ImageRejected as rejected:
            return await self.step_page(
                request, "certificate", refusal=rejected, field="photo", form=fields
            )
        return Redirect("/home", status_code=303)


class AvailabilityController(Controller):
    guards = [tailor_only]

    @post("/availability", status_code=200)
    async def switch(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        user = user_of(request)
        wanted = data.get("available") == "on"
        refusal = None
        try:
            await services.set_available(user.account_id, wanted)
        except ProfileError as error:
            refusal = error
        profile = await services.profile_of(user.account_id)
        return refused(
            request,
            refusal,
            "tailors/_availability.html",
            block="availability",
            profile=profile,
            error=None,
        )


class TailorProfileController(Controller):
    """What designers see of a tailor. Only verified tailors are listed to others."""

    @get("/tailors/{public_id:uuid}")
    async def show(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Template:
        account = (
            await Account.select(Account.id, Account.name, Account.role)
            .where(Account.public_id == public_id)
            .first()
        )
        if account is None or account["role"] != Role.TAILOR:
            raise NotFoundException()
        profile = await services.profile_of(account["id"])
        verification = services.effective_verification(profile)
        viewer = current_user(request)
        is_self_or_admin = viewer is not None and (
            viewer.account_id == account["id"] or viewer.role == Role.ADMIN
        )
        if verification != Verification.VERIFIED and not is_self_or_admin:
            raise NotFoundException()
        return render(
            request,
            "tailors/profile.html",
            account=account,
            profile=profile,
            verification=verification,
            skills=await services.skills_of(profile["id"]),
            categories=category_labels(),
            equipment=equipment_labels(),
            city=regions.city(profile["city_code"] or ""),
            photos=await services.portfolio(account["id"]),
        )


__all__ = ["AvailabilityController", "OnboardingController", "TailorProfileController"]
