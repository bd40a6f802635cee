"""What a tailor sees: the nearby orders feed, and one order with its offer or take action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Template

from server import regions
from server.auth.sessions import CurrentUser
from server.garments import category_labels
from server.orders.access import may_open
from server.orders.offers.feed import Feed, Rating, TailorFeed
from server.orders.page.production import order_page_context
from server.orders.page.queries import tailor_side
from server.orders.posting.forms import latest_date
from server.orders.posting.services import order_photos
from server.orders.records import OfferRecord, OrderRecord
from server.orders.tables import OrderMode, OrderStatus
from server.regions import haversine_km
from server.tailors.services import effective_verification, latest_certificate, profile_of
from server.web import i18n
from server.web.i18n import gettext as _
from server.web.pages import OFFLINE_CACHE_HEADER
from server.web.render import render, wants_fragment

DISTANCE_STEPS = (5, 10, 20, 50)


def place_name(city_code: str | None) -> str:
    """Kota Bandung reads "Bandung"; the regency around it, "Bandung (Kab.)"."""
    city = regions.city(city_code or "")
    return city.short_name.removeprefix("Kota ") if city else ""


def offline_headers(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Full pages a tailor reads on the bus are kept by the service worker; fragments never."""
    if request.method != "GET" or wants_fragment(request):
        return {}
    return {OFFLINE_CACHE_HEADER: "page"}


@dataclass(frozen=True)
class Standing:
    """May this tailor offer and take work now, and if not, why (an OrderError code)."""

    verification: str
    available: bool
    certificate: dict[str, Any] | None
    profile: dict[str, Any]

    @property
    def latitude(self) -> float | None:
        value = self.profile["latitude"]
        return None if value is None else float(value)

    @property
    def longitude(self) -> float | None:
        value = self.profile["longitude"]
        return None if value is None else float(value)

    @property
    def blocker(self) -> str | None:
        if self.verification != "verified":
            return "not_verified"
        if not self.available:
            return "switched_off"
        return None


async def standing_of(
    account_id: int, read: TailorFeed | None = None, *, profile: dict[str, Any] | None = None
) -> Standing:
    """From the profile row the feed or the order page read already, if it did."""
    if profile is None:
        profile = read.profile if read is not None else await profile_of(account_id)
    verification = effective_verification(profile)
    return Standing(
        verification=verification,
        available=bool(profile["available"]),
        certificate=None if verification == "verified" else await latest_certificate(account_id),
        profile=profile,
    )


@dataclass(frozen=True)
class JobCard:
    public_id: UUID
    title: str
    category: str
    direct: bool
    quantity: int
    price: int
    distance_km: float
    within_km: int
    place: str
    deadline: date
    days_left: int
    buyer: str
    revision: int
    buyer_rating: Rating | None = None

    @property
    def total(self) -> int:
        return self.quantity * self.price


def job_cards(feed: Feed, today: date) -> list[JobCard]:
    return [
        JobCard(
            public_id=item.order.public_id,
            title=item.order.title,
            category=item.skill_match,
            direct=item.order.mode == OrderMode.DIRECT,
            quantity=item.order.quantity,
            price=item.order.budget_per_piece,
            distance_km=item.distance_km,
            within_km=next(
                (step for step in DISTANCE_STEPS if item.distance_km <= step), feed.radius_km
            ),
            place=place_name(item.order.city_code),
            deadline=item.order.deadline,
            days_left=(item.order.deadline - today).days,
            buyer=item.buyer,
            revision=item.order.revision,
            buyer_rating=item.buyer_rating,
        )
        for item in feed.items
    ]


# One order ----------------------------------------------------------------------------------------


def order_state(order: OrderRecord, account_id: int) -> str:
    """open | mine | taken | cancelled | expired, as this tailor reads it."""
    if order.status == OrderStatus.OPEN:
        return "open"
    if order.status in (OrderStatus.ASSIGNED, OrderStatus.COMPLETED):
        return "mine" if order.assigned_tailor == account_id else "taken"
    return str(order.status)


def dispatch_reasons() -> dict[str, str]:
    """Why an order was not sent to this tailor, in their words (see dispatch.rules.exclusion)."""
    return {
        "suspended": _("your account is suspended"),
        "not_verified": _("your certificate was not verified yet"),
        "switched_off": _('"Ready for orders" was off'),
        "no_skill": _("this garment is not among your skills"),
        "beyond_order_radius": _("you were beyond the distance it had reached"),
        "beyond_tailor_radius": _("it is beyond your service radius"),
        "minimum_order": _("it is below your minimum order"),
        "no_capacity": _("your weekly capacity is full before the deadline"),
    }


def distance_from(standing: Standing, order: OrderRecord) -> float | None:
    latitude, longitude = standing.latitude, standing.longitude
    if latitude is None or longitude is None:
        return None
    return round(haversine_km(latitude, longitude, order.latitude, order.longitude), 1)


def offer_defaults(order: OrderRecord, offer: OfferRecord | None) -> dict[str, str]:
    """The offer form starts from the tailor's live offer, else from the designer's budget."""
    if offer is not None and offer.status == "live":
        return {
            "price_per_piece": str(offer.price_per_piece),
            "ready_by": offer.ready_by.isoformat(),
            "note": offer.note,
        }
    return {
        "price_per_piece": str(order.budget_per_piece),
        "ready_by": order.deadline.isoformat(),
        "note": "",
    }


async def order_page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    order: OrderRecord,
    *,
    block: str = "content",
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    notice: str | None = None,
    problem: str | None = None,
    terms_changed: bool = False,
) -> Template:
    """Everything a tailor needs to decide on one screen; `block="action"` is the bottom sheet.
    An order the dispatch rules keep from this tailor is a 404, as if it did not exist."""
    today = i18n.local_today()
    side = await tailor_side(order, user.account_id)
    offer = side.offer
    if not await may_open(user.account_id, order, today, offered=offer is not None):
        raise NotFoundException()
    standing = await standing_of(user.account_id, profile=side.profile)
    sizes = order.sizes or {}
    buyer = side.buyer
    mine = order.assigned_tailor == user.account_id and bool(order.stage)
    production = await order_page_context(request, order, user) if mine else None
    return render(
        request,
        "orders/tailor_order.html",
        block=block,
        status_code=status_code,
        headers=offline_headers(request),
        order=order,
        state=order_state(order, user.account_id),
        direct=order.mode == OrderMode.DIRECT,
        categories=category_labels(),
        sizes=[(size, count) for size, count in sizes.items() if size != "custom" and count],
        custom_sizes=sizes.get("custom") or "",
        place=place_name(order.city_code),
        distance_km=distance_from(standing, order),
        days_left=(order.deadline - today).days,
        today=today,
        latest_ready_by=min(order.deadline, latest_date(today)),
        buyer=buyer.name,
        buyer_rating=buyer.rating,
        photos=production.reference_photos if production else await order_photos(order.id),
        why=side.why,
        dispatch_reasons=dispatch_reasons(),
        offer=offer,
        standing=standing,
        form={**offer_defaults(order, offer), **(form or {})},
        errors=errors or {},
        notice=notice,
        problem=problem,
        terms_changed=terms_changed,
        in_production=mine,
        **(vars(production) if production is not None else {}),
    )
