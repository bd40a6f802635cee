"""Order di sekitar Anda: open orders a tailor can take, nearest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from server.db import reading
from server.designers.tables import DesignerProfile
from server.dispatch.cells import cells_covering
from server.dispatch.eligibility import refusal_for
from server.dispatch.rules import Candidate, OrderFacts
from server.orders.dispatching.candidates import recent_since
from server.orders.offers.feed_queries import Card, TailorRow, cards_of, open_near, tailor_row
from server.orders.offers.feed_queries import FeedOrder as FeedOrder
from server.orders.offers.feed_queries import Rating as Rating
from server.orders.records import OrderRecord
from server.regions import haversine_km
from server.tailors.services import profile_of

PAGE_SIZE = 20


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

    page: list[tuple[float, Card]]  # (distance, the order's card)
    total: int


@dataclass(frozen=True)
class Feed:
    items: list[FeedItem]
    has_more: bool
    located: bool
    radius_km: int
    skills: list[str]


@dataclass(frozen=True)
class TailorFeed:
    profile: dict[str, Any]  # the tailor's profile row, as `profile_of` reads it
    feed: Feed


async def nearby_orders(
    tailor_id: int,
    today: date,
    *,
    category: str | None = None,
    max_km: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Feed:
    found = await tailor_feed(
        tailor_id, today, category=category, max_km=max_km, offset=offset, limit=limit
    )
    return found.feed


async def tailor_feed(
    tailor_id: int,
    today: date,
    *,
    category: str | None = None,
    max_km: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> TailorFeed:
    """The tailor's profile row and their feed, in three statements on one connection."""
    async with reading():
        tailor = await tailor_row(tailor_id, recent_since())
        if tailor is not None:
            feed = await feed_of(tailor, today, category, max_km, offset, limit)
            return TailorFeed(tailor.profile, feed)
    # A first visit: the profile is created empty (outside the read, which on SQLite could not
    # take the write lock), with no place or skills yet, so nothing to show.
    profile = await profile_of(tailor_id)
    nothing = Feed([], False, False, radius_of(profile["service_radius_km"], max_km), [])
    return TailorFeed(profile, nothing)


def radius_of(service_radius_km: int, max_km: int | None) -> int:
    radius = int(service_radius_km)
    return min(radius, max_km) if max_km else radius


async def feed_of(
    tailor: TailorRow,
    today: date,
    category: str | None,
    max_km: int | None,
    offset: int,
    limit: int,
) -> Feed:
    profile = tailor.profile
    radius = radius_of(profile["service_radius_km"], max_km)
    skills = sorted(set(tailor.skills))
    if profile["latitude"] is None:  # not placed yet: no distance, so nothing is near
        return Feed([], False, False, radius, skills)
    if not skills:
        return Feed([], False, True, radius, skills)
    candidate = tailor.candidate(today)
    wanted = [category] if category in skills else skills
    located = await orders_within(candidate, radius, wanted, today, offset, limit)
    return Feed(
        items=[feed_item(distance, row) for distance, row in located.page],
        has_more=located.total > offset + limit,
        located=True,
        radius_km=radius,
        skills=skills,
    )


def feed_item(distance: float, card: Card) -> FeedItem:
    return FeedItem(
        order=card.order,
        distance_km=round(distance, 1),
        buyer=card.buyer,
        skill_match=card.order.category,
        buyer_rating=card.rating,
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

    Only what the rules weigh first: a feed looks at hundreds of orders to show twenty, and
    the cards are read only for the page shown."""
    latitude, longitude = candidate.latitude, candidate.longitude
    cells = list(cells_covering(latitude, longitude, radius))
    reached = []
    for near in await open_near(cells, categories, candidate.minimum_order, today):
        distance = haversine_km(latitude, longitude, near.latitude, near.longitude)
        if distance > min(radius, near.dispatch_radius_km):
            continue
        facts = OrderFacts(
            category=near.category,
            quantity=near.quantity,
            latitude=near.latitude,
            longitude=near.longitude,
            deadline=near.deadline,
            today=today,
        )
        if refusal_for(candidate, facts, near.dispatch_radius_km, reading=True) is None:
            reached.append((distance, near.id))
    reached.sort()
    page = reached[offset : offset + limit]
    cards = await cards_of([order_id for _distance, order_id in page])
    return Located([(distance, cards[order_id]) for distance, order_id in page], len(reached))


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
