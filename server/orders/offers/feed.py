"""Order di sekitar Anda: open orders a tailor can take, nearest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from server.db import reading
from server.designers.tables import DesignerProfile
from server.dispatch.cells import cells_covering
from server.dispatch.eligibility import refusal_for
from server.dispatch.rules import Candidate, OrderFacts
from server.orders.dispatching.candidates import candidate_of
from server.orders.records import OrderRecord
from server.orders.tables import Order, OrderMode, OrderStatus
from server.regions import haversine_km
from server.tailors.services import profile_of, skills_of
from server.tailors.tables import TailorProfile

PAGE_SIZE = 20


@dataclass(frozen=True)
class FeedOrder:
    """An open order as its card in the feed needs it (and the dispatch rules weigh it)."""

    id: int
    public_id: UUID
    designer: int
    category: str
    title: str
    quantity: int
    budget_per_piece: int
    deadline: date
    city_code: str
    latitude: float
    longitude: float
    mode: OrderMode
    revision: int
    published_at: datetime | None
    dispatch_radius_km: int


FEED_COLUMNS = (
    Order.id,
    Order.public_id,
    Order.designer,
    Order.category,
    Order.title,
    Order.quantity,
    Order.budget_per_piece,
    Order.deadline,
    Order.city_code,
    Order.latitude,
    Order.longitude,
    Order.mode,
    Order.revision,
    Order.published_at,
    Order.dispatch_radius_km,
)


@dataclass(frozen=True)
class Rating:
    """A profile's average stars and how many ratings make it."""

    average: float
    count: int


@dataclass(frozen=True)
class FeedItem:
    order: FeedOrder
    distance_km: float
    buyer: str
    skill_match: str
    buyer_rating: Rating | None = None


@dataclass(frozen=True)
class Located:
    """One page of the open orders within reach, nearest first, and how many there are."""

    page: list[tuple[float, FeedOrder]]  # (distance, order)
    total: int


@dataclass(frozen=True)
class Feed:
    items: list[FeedItem]
    has_more: bool
    located: bool
    radius_km: int
    skills: list[str]


async def nearby_orders(
    tailor_id: int,
    today: date,
    *,
    category: str | None = None,
    max_km: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Feed:
    async with reading():
        candidate = await candidate_of(tailor_id, today)
        if candidate is not None:
            return await feed_of(candidate, today, category, max_km, offset, limit)
        profile = await TailorProfile.select().where(TailorProfile.account == tailor_id).first()
        if profile is not None:  # not placed yet: no distance, so nothing is near
            skills = await skills_of(profile["id"])
            return Feed([], False, False, radius_of(profile["service_radius_km"], max_km), skills)
    # A first visit: the profile is created empty (outside the read, which on SQLite could not
    # take the write lock), with no place or skills yet, so nothing to show.
    profile = await profile_of(tailor_id)
    return Feed([], False, False, radius_of(profile["service_radius_km"], max_km), [])


def radius_of(service_radius_km: int, max_km: int | None) -> int:
    radius = int(service_radius_km)
    return min(radius, max_km) if max_km else radius


async def feed_of(
    candidate: Candidate,
    today: date,
    category: str | None,
    max_km: int | None,
    offset: int,
    limit: int,
) -> Feed:
    radius = radius_of(candidate.radius_km, max_km)
    skills = sorted(candidate.skills)
    if not skills:
        return Feed([], False, True, radius, skills)
    wanted = [category] if category in skills else skills
    located = await orders_within(candidate, radius, wanted, today, offset, limit)
    designer_ids = sorted({order.designer for _distance, order in located.page})
    buyers = await buyer_names(designer_ids)
    ratings = await buyer_ratings(designer_ids)
    return Feed(
        items=[
            FeedItem(
                order=order,
                distance_km=round(distance, 1),
                buyer=buyers.get(order.designer, ""),
                skill_match=order.category,
                buyer_rating=ratings.get(order.designer),
            )
            for distance, order in located.page
        ],
        has_more=located.total > offset + limit,
        located=True,
        radius_km=radius,
        skills=skills,
    )


async def orders_within(
    candidate: Candidate,
    radius: int,
    categories: list[str],
    today: date,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Located:
    """The open orders within `radius` that the dispatch rules let this tailor open, nearest
    first: the page from `offset`, and how many in all. The query narrows by index; the rules
    decide.

    Only ids, places and reach first: a feed looks at hundreds of orders to show twenty, and
    the rest is read only for those that reached the tailor."""
    latitude, longitude = candidate.latitude, candidate.longitude
    rows = await Order.select(
        Order.id, Order.latitude, Order.longitude, Order.dispatch_radius_km
    ).where(
        (Order.status == OrderStatus.OPEN)
        & Order.h3_cell.is_in(cells_covering(latitude, longitude, radius))
        & Order.category.is_in(categories)
        & (Order.quantity >= candidate.minimum_order)
        & (Order.deadline >= today)
    )
    reached = {}
    for row in rows:
        distance = haversine_km(latitude, longitude, row["latitude"], row["longitude"])
        if distance <= min(radius, row["dispatch_radius_km"]):
            reached[row["id"]] = distance
    if not reached:
        return Located([], 0)
    found = {}
    for row in await Order.select(*FEED_COLUMNS).where(Order.id.is_in(list(reached))):
        facts = OrderFacts(
            category=row["category"],
            quantity=row["quantity"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            deadline=row["deadline"],
            today=today,
        )
        if refusal_for(candidate, facts, row["dispatch_radius_km"], reading=True) is None:
            found[row["id"]] = row
    located = sorted((reached[order_id], order_id) for order_id in found)
    page = [
        (distance, FeedOrder(**{**found[order_id], "mode": OrderMode(found[order_id]["mode"])}))
        for distance, order_id in located[offset : offset + limit]
    ]
    return Located(page, len(located))


async def buyer_names(designer_ids: list[int]) -> dict[int, str]:
    if not designer_ids:
        return {}
    rows = await DesignerProfile.select(
        DesignerProfile.account, DesignerProfile.business_name, DesignerProfile.account.name
    ).where(DesignerProfile.account.is_in(designer_ids))
    names = {row["account"]: row["business_name"] or row["account.name"] for row in rows}
    return names


async def buyer_ratings(designer_ids: list[int]) -> dict[int, Rating]:
    """The designers' ratings from tailors, for those rated at least once."""
    if not designer_ids:
        return {}
    rows = await DesignerProfile.select(
        DesignerProfile.account, DesignerProfile.rating_average, DesignerProfile.rating_count
    ).where(DesignerProfile.account.is_in(designer_ids) & (DesignerProfile.rating_count > 0))
    return {
        row["account"]: Rating(float(row["rating_average"] or 0.0), int(row["rating_count"]))
        for row in rows
    }


def sizes_of(order: OrderRecord) -> dict[str, int | str]:
    """Pieces per size, and the designer's own sizes under "custom"."""
    return dict(order.sizes or {})
