"""The designer's side of orders: post one (draft, preview, publish), list them, and act on
offers. Every form works without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server import regions
from server.auth.guards import designer_only, user_of
from server.garments import category_labels
from server.idempotency.forms import claim_of
from server.idempotency.services import KeyRefused, Outcome, once
from server.media.images import MAX_UPLOAD_BYTES
from server.media.refusals import ImageRejected
from server.media.services import MediaStore, delete_photo, store_photo
from server.orders.assignment.services import accept_offer
from server.orders.dispatching.waves import DispatchSettings
from server.orders.lists.designer import designer_list
from server.orders.offers import services
from server.orders.page import designer as designer_views
from server.orders.page.tailor import offline_headers
from server.orders.posting.checks import check_order, edited, order_total
from server.orders.posting.editing import PHOTO_KIND, edit_order, unused_photos
from server.orders.posting.forms import MIN_LEAD_DAYS, SIZES, latest_date, seen
from server.orders.posting.services import (
    PHOTO_MAX,
    ReferencePhoto,
    cancel,
    designer_order,
    draft_data,
    publish,
    save_draft,
)
from server.orders.records import OrderRecord
from server.orders.refusals import OrderError
from server.orders.tables import Offer, Order, OrderStatus
from server.text import typed_text
from server.web import i18n
from server.web.conditional import etag_headers, unchanged, viewer_etag
from server.web.forms import FormFields, Multipart, as_list, upload_bytes
from server.web.i18n import gettext as _
from server.web.refusals import Refused
from server.web.render import render

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
UPLOAD_LIMIT = PHOTO_MAX * MAX_UPLOAD_BYTES + 1024 * 1024
REASON_RANGE = (5, 500)


def as_uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def text_fields(data: FormFields) -> dict[str, str]:
    """The typed values (a repeated name keeps its last value); files and ids left out."""
    fields = {}
    for key, value in data.items():
        last = as_list(value)[-1] if as_list(value) else ""
        skipped = key.startswith("_") or key in ("photo_ids", "action", "draft_id")
        if isinstance(last, str) and not skipped:
            fields[key] = last
    return fields


def refusals_of(errors: dict[str, str]) -> list[Refused]:
    """The form's refusals, one per field (field -> code), as check_order finds them."""
    return [OrderError(code, field) for field, code in errors.items()]


def texts_of(refusals: list[Refused]) -> dict[str, str]:
    return {refusal.field or "form": refusal.message for refusal in refusals}


def status_of(refusals: list[Refused]) -> int:
    return max((refusal.status for refusal in refusals), default=200)


async def store_uploads(
    store: MediaStore, designer_id: int, uploads: list[UploadFile]
) -> list[ReferencePhoto]:
    """All photos or none: a refused one removes those stored before it."""
    stored: list[ReferencePhoto] = []
    try:
        for upload in uploads:
            content = await upload_bytes(upload)
            if content:
                row = await store_photo(store, designer_id, PHOTO_KIND, content)
                stored.append(
                    ReferencePhoto(
                        id=row["id"],
                        public_id=row["public_id"],
                        owner=row["owner"],
                        small_width=row["small_width"],
                        small_height=row["small_height"],
                    )
                )
    except ImageRejected:
        for photo in stored:
            await delete_photo(store, photo.id)
        raise
    return stored


class OrderFormController(Controller):
    guards = [designer_only]

    async def form_page(
        self,
        request: Request[Any, Any, Any],
        form: FormFields,
        *,
        photos: list[ReferencePhoto] | None = None,
        draft_id: UUID | None = None,
        refusals: list[Refused] | None = None,
    ) -> Template:
        city = regions.city(str(form.get("city", "")))
        province_code = (
            request.query_params.get("province")
            or str(form.get("province") or "")
            or (city.province_code if city else "")
        )
        return render(
            request,
            "orders/designer_form.html",
            block="city_field",
            status_code=status_of(refusals or []),
            form=form,
            errors=texts_of(refusals or []),
            photos=photos or [],
            photo_max=PHOTO_MAX,
            draft_id=draft_id,
            saved=request.query_params.get("saved") == "1",
            categories=category_labels(),
            sizes=SIZES,
            provinces=regions.provinces(),
            province_code=province_code,
            cities=regions.cities(province_code) if regions.province(province_code) else [],
            pieces=order_total(form)[0],
            total=order_total(form)[1],
            earliest=(i18n.local_today() + timedelta(days=MIN_LEAD_DAYS)).isoformat(),
            latest=latest_date(i18n.local_today()).isoformat(),
        )

    @get("/orders/new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return await self.form_page(request, {})

    @get("/orders/drafts/{draft_id:uuid}")
    async def draft(self, request: Request[Any, Any, Any], draft_id: FromPath[UUID]) -> Template:
        user = user_of(request)
        data = await draft_data(user.account_id, draft_id)
        if data is None:
            raise NotFoundException()
        photos = await unused_photos(user.account_id, as_list(data.get("photo_ids")))
        return await self.form_page(request, data, photos=photos, draft_id=draft_id)

    @get("/orders")
    async def mine(self, request: Request[Any, Any, Any]) -> Template | Response[bytes]:
        """Pesanan saya; a 304 when nothing on it changed for this designer."""
        user = user_of(request)
        orders, drafts = await designer_list(user.account_id)
        tag = viewer_etag(request, orders, drafts)
        if (not_modified := unchanged(request, tag)) is not None:
            return not_modified
        return render(
            request,
            "orders/designer_list.html",
            headers={**offline_headers(request), **etag_headers(tag)},
            orders=orders,
            drafts=drafts,
            categories=category_labels(),
        )

    @post("/orders", status_code=200, request_max_body_size=UPLOAD_LIMIT)
    async def submit(self, request: Request[Any, Any, Any], data: Multipart) -> Any:
        """One form, several buttons: show cities, save a draft, preview, change, publish."""
        user = user_of(request)
        action = str(as_list(data.get("action"))[-1] if data.get("action") else "preview")
        fields = text_fields(data)
        draft_id = as_uuid(data.get("draft_id"))
        photos = await unused_photos(user.account_id, as_list(data.get("photo_ids")))
        uploads = [item for item in as_list(data.get("photos")) if isinstance(item, UploadFile)]
        page: dict[str, Any] = {"photos": photos, "draft_id": draft_id}
        if action in ("cities", "edit"):
            return await self.form_page(request, fields, **page)
        form, errors = check_order(fields, i18n.local_today())
        if action != "draft" and (errors or form is None):
            return await self.form_page(request, fields, refusals=refusals_of(errors), **page)
        if action != "publish":
            if len(photos) + len(uploads) > PHOTO_MAX:
                too_many = OrderError("too_many_photos", "photos")
                return await self.form_page(request, fields, refusals=[too_many], **page)
            try:
                photos += await store_uploads(request.app.state.media, user.account_id, uploads)
            except ImageRejected as rejected:
                photo = ImageRejected(rejected.code, "photos")
                return await self.form_page(request, fields, refusals=[photo], **page)
        photo_ids = [str(photo.public_id) for photo in photos]
        if action == "draft":
            saved = await save_draft(user.account_id, {**fields, "photo_ids": photo_ids}, draft_id)
            return Redirect(f"/orders/drafts/{saved}?saved=1", status_code=303)
        assert form is not None
        if action == "publish":

            async def publish_once() -> Outcome:
                order = await publish(
                    user.account_id,
                    form,
                    [photo.id for photo in photos],
                    draft_id,
                    DispatchSettings.from_settings(request.app.state.settings),
                )
                return Outcome(status=303, location=f"/orders/{order.public_id}")

            try:
                # A double tap or a replay: one order, and the first answer again.
                outcome, _replayed = await once(await claim_of(request), publish_once)
            except KeyRefused as reused:
                return await self.form_page(request, fields, refusals=[reused], **page)
            return Redirect(outcome.location, status_code=303)
        order = designer_views.as_order(form)
        return render(
            request,
            "orders/designer_preview.html",
            form=fields,
            order=order,
            facts=designer_views.facts(order),
            photos=photos,
            photo_ids=photo_ids,
            draft_id=draft_id,
        )


async def owned(request: Request[Any, Any, Any], public_id: UUID) -> OrderRecord:
    """The designer's own order; another's is a 404, as if it did not exist."""
    order = await designer_order(user_of(request).account_id, public_id)
    if order is None:
        raise NotFoundException()
    return order


async def refuse(
    request: Request[Any, Any, Any], order: OrderRecord, error: OrderError
) -> Template:
    """The order page again, as it is now, saying why."""
    fresh = await owned(request, order.public_id)
    return await designer_views.order_page(
        request,
        user_of(request),
        fresh,
        problem=error.message,
        status_code=error.status,
    )


async def offer_changed(
    request: Request[Any, Any, Any], order: OrderRecord, offer_id: UUID
) -> Template:
    """A 409: the offer changed after the designer read it; its new terms, and its card with
    an "Accept" for them."""
    offer = await (
        Offer.select(Offer.price_per_piece, Offer.ready_by)
        .where(Offer.public_id == offer_id)
        .first()
    )
    assert offer is not None
    problem = _(
        "This offer changed after you read it. It is now %(price)s/pcs, total %(total)s, "
        "ready by %(date)s. Accept it again if it suits you.",
        price=i18n.rupiah(offer["price_per_piece"]),
        total=i18n.rupiah(offer["price_per_piece"] * order.quantity),
        date=i18n.format_date(offer["ready_by"]),
    )
    fresh = await owned(request, order.public_id)
    return await designer_views.order_page(
        request, user_of(request), fresh, problem=problem, status_code=409
    )


async def edit(request: Request[Any, Any, Any], public_id: UUID, data: FormFields) -> Any:
    """POST /orders/{id}: change what tailors read while the order is open. Routed by
    OrderPageController, because one path cannot be split across two controllers."""
    order = await owned(request, public_id)
    if order.status != OrderStatus.OPEN:
        return await refuse(request, order, OrderError("not_open"))
    values = edited(order, data)
    form, errors = check_order(values, i18n.local_today())
    if errors or form is None:
        refusals = refusals_of(errors)
        return await designer_views.order_page(
            request,
            user_of(request),
            order,
            errors=texts_of(refusals),
            form=values,
            status_code=status_of(refusals),
        )
    try:
        await edit_order(user_of(request).account_id, public_id, form)
    except OrderError as error:
        return await refuse(request, order, error)
    return Redirect(f"/orders/{public_id}", status_code=303)


class DesignerOrderController(Controller):
    """What only the owner may do to an order: cancel it, accept or decline offers."""

    guards = [designer_only]

    @post("/orders/{public_id:uuid}/cancel", status_code=303)
    async def cancel(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        order = await owned(request, public_id)
        reason = " ".join(typed_text(data.get("reason")).split())
        if order.status != OrderStatus.OPEN:
            return await refuse(request, order, OrderError("not_open"))
        if not REASON_RANGE[0] <= len(reason) <= REASON_RANGE[1]:
            short = OrderError("reason_required", "reason")
            return await designer_views.order_page(
                request,
                user_of(request),
                order,
                errors=texts_of([short]),
                status_code=short.status,
            )
        try:
            await cancel(user_of(request).account_id, public_id, reason)
        except OrderError as error:
            return await refuse(request, order, error)
        return Redirect(f"/orders/{public_id}", status_code=303)

    async def offer_of(self, order: OrderRecord, offer_id: UUID) -> None:
        if not await Offer.exists().where(
            (Offer.public_id == offer_id) & (Offer.order == order.id)
        ):
            raise NotFoundException()

    @post("/orders/{public_id:uuid}/offers/{offer_id:uuid}/accept", status_code=303)
    async def accept(
        self,
        request: Request[Any, Any, Any],
        public_id: FromPath[UUID],
        offer_id: FromPath[UUID],
        data: FormData,
    ) -> Any:
        """The designer accepts the version of the offer they read; a changed one is shown
        again, with its new terms, to accept or not."""
        order = await owned(request, public_id)
        await self.offer_of(order, offer_id)
        if order.status != OrderStatus.OPEN:
            return await refuse(request, order, OrderError("not_open"))
        version = seen(data, "version")
        try:
            await accept_offer(user_of(request).account_id, offer_id, version)
        except OrderError as error:
            still_open = await Order.exists().where(
                (Order.id == order.id) & (Order.status == OrderStatus.OPEN)
            )
            if still_open and error.code == "offer_changed":
                return await offer_changed(request, order, offer_id)
            return await refuse(request, order, error if still_open else OrderError("not_open"))
        return Redirect(f"/orders/{public_id}", status_code=303)

    @post("/orders/{public_id:uuid}/offers/{offer_id:uuid}/decline", status_code=303)
    async def decline(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], offer_id: FromPath[UUID]
    ) -> Any:
        order = await owned(request, public_id)
        await self.offer_of(order, offer_id)
        if order.status != OrderStatus.OPEN:
            return await refuse(request, order, OrderError("not_open"))
        try:
            await services.decline_offer(user_of(request).account_id, offer_id)
        except OrderError as error:
            return await refuse(request, order, error)
        return Redirect(f"/orders/{public_id}", status_code=303)


__all__ = ["DesignerOrderController", "OrderFormController"]
