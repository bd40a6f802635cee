"""The tailor's side of orders: the nearby feed, offers, and taking a Langsung order."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.auth.guards import tailor_only, user_of
from server.garments import category_labels
from server.idempotency.forms import claim_of, order_revision
from server.idempotency.services import KeyRefused, Outcome, once
from server.orders.access import ensure_may_answer, may_open
from server.orders.assignment.services import take
from server.orders.offers import services
from server.orders.offers.feed import PAGE_SIZE, nearby_orders, tailor_feed
from server.orders.page import tailor as tailor_views
from server.orders.posting.forms import seen
from server.orders.records import OrderRecord
from server.orders.refusals import Ineligible, OrderError
from server.orders.tables import Order
from server.web import i18n
from server.web.conditional import etag_headers, unchanged, viewer_etag
from server.web.i18n import gettext as _
from server.web.refusals import Refused, refused
from server.web.render import render, wants_fragment

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PAGE_MAX = 50
COUNT_CAP = 99  # the home link says "99+" beyond this


def whole(raw: str | None, low: int, high: int) -> int | None:
    """A query value as a number in range, or None: a bad filter is ignored, not an error."""
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if low <= value <= high else None


class JobsController(Controller):
    path = "/jobs"
    guards = [tailor_only]

    @get("/")
    async def feed(self, request: Request[Any, Any, Any]) -> Template | Response[bytes]:
        """Order di sekitar Anda: a full page (kept offline), or with htmx just the next cards;
        a 304 when nothing on it changed for this tailor."""
        user = user_of(request)
        query = request.query_params
        category = query.get("category") or ""
        km = whole(query.get("km"), 1, 50)
        page = whole(query.get("page"), 1, PAGE_MAX) or 1
        today = i18n.local_today()
        found = await tailor_feed(
            user.account_id,
            today,
            category=category or None,
            max_km=km,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        feed = found.feed
        standing = await tailor_views.standing_of(user.account_id, found)
        tag = viewer_etag(request, today, feed, standing)
        if (not_modified := unchanged(request, tag)) is not None:
            return not_modified
        full_radius = int(standing.profile["service_radius_km"])
        filters = {"category": category if category in feed.skills else "", "km": km or ""}
        more = {key: value for key, value in filters.items() if value}
        return render(
            request,
            "orders/jobs.html",
            block="cards",
            headers={**tailor_views.offline_headers(request), **etag_headers(tag)},
            feed=feed,
            cards=tailor_views.job_cards(feed, today),
            filters=filters,
            distances=[step for step in tailor_views.DISTANCE_STEPS if step < full_radius],
            full_radius=full_radius,
            categories=category_labels(),
            standing=standing,
            page=page,
            next_url="/jobs?" + urlencode({**more, "page": page + 1}),
            first_url="/jobs?" + urlencode(more) if more else "/jobs",
        )

    @get("/summary")
    async def summary(self, request: Request[Any, Any, Any]) -> Template:
        """The home screen's "Order di sekitar Anda: 7 baru", loaded after the home page."""
        user = user_of(request)
        feed = await nearby_orders(user.account_id, i18n.local_today(), limit=COUNT_CAP)
        return render(
            request,
            "orders/_tailor_jobs_link.html",
            block="jobs_link",
            count=len(feed.items),
            more=feed.has_more,
            lazy=False,
        )


async def order_or_404(public_id: UUID) -> OrderRecord:
    row = await Order.select(*OrderRecord.columns()).where(Order.public_id == public_id).first()
    if row is None:
        raise NotFoundException()
    return OrderRecord.from_row(row)


class TailorOrderController(Controller):
    path = "/orders/{public_id:uuid}"
    guards = [tailor_only]

    async def answer(
        self,
        request: Request[Any, Any, Any],
        public_id: UUID,
        notice: str,
    ) -> Template | Redirect:
        """htmx swaps the bottom sheet in place; a plain form goes back to the order page."""
        if wants_fragment(request):
            order = await order_or_404(public_id)
            return await tailor_views.order_page(
                request,
                user_of(request),
                order,
                block="action",
                notice=notice,
            )
        return Redirect(f"/orders/{public_id}", status_code=303)

    async def refuse(
        self,
        request: Request[Any, Any, Any],
        public_id: UUID,
        error: Refused,
        form: dict[str, str] | None = None,
        *,
        block: str = "action",
    ) -> Template:
        """The reason in the tailor's words; an order they may not open stays unseen."""
        if error.code == "not_found":
            raise NotFoundException()
        order = await order_or_404(public_id)
        user = user_of(request)
        if isinstance(error, Ineligible) and not await may_open(
            user.account_id, order, i18n.local_today()
        ):
            return refused(
                request,
                error,
                "orders/tailor_refused.html",
                block="action",
                key="message",
                public_id=public_id,
            )
        return await tailor_views.order_page(
            request,
            user,
            order,
            block=block,
            status_code=error.status,
            errors={error.field or "form": error.message},
            form=form,
        )

    @post("/offers", status_code=303)
    async def offer(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        """Make an offer, or change the live one: one offer per tailor and order. Done once
        per key; one queued against an order edited since (`Order-Revision`) is refused."""
        fields = {key: str(data.get(key, "")) for key in ("price_per_piece", "ready_by", "note")}
        order = await order_or_404(public_id)
        account_id = user_of(request).account_id

        async def send() -> Outcome:
            await services.ensure_still_open(account_id, public_id)
            await ensure_may_answer(account_id, public_id)  # their reason before any field's
            form = services.parse_offer(fields, order, i18n.local_today())
            await services.make_offer(account_id, public_id, form, order_revision(request))
            return Outcome(status=303, location=f"/orders/{public_id}")

        try:
            await once(await claim_of(request), send)
        except (OrderError, KeyRefused) as error:
            return await self.refuse(request, public_id, error, fields)
        return await self.answer(request, public_id, _("Your offer was sent to the designer."))

    @post("/offers/withdraw", status_code=303)
    async def withdraw(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Any:
        account_id = user_of(request).account_id

        async def send() -> Outcome:
            await services.withdraw_offer(account_id, public_id)
            return Outcome(status=303, location=f"/orders/{public_id}")

        try:
            await once(await claim_of(request), send)
        except (OrderError, KeyRefused) as error:
            return await self.refuse(request, public_id, error)
        return await self.answer(request, public_id, _("Your offer was withdrawn."))

    @post("/take", status_code=303)
    async def take(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        """Langsung: exactly one tailor wins, on the terms they saw; the others get a 409 saying
        it is taken, or showing the new terms with a button to agree to them."""
        try:
            await take(user_of(request).account_id, public_id, seen(data, "revision"))
        except Ineligible as error:
            return await self.refuse(request, public_id, error, block="content")
        except OrderError as error:
            if error.code == "not_found":
                raise NotFoundException() from None
            order = await order_or_404(public_id)
            return await tailor_views.order_page(
                request,
                user_of(request),
                order,
                status_code=error.status,
                errors={"form": error.message},
                terms_changed=error.code == "terms_changed",
            )
        return Redirect(f"/orders/{public_id}", status_code=303)


__all__ = ["JobsController", "TailorOrderController"]
