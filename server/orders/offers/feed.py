"""Order di sekitar Anda: open orders a tailor can take, nearest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.db import reading
from server.designers.tables import DesignerProfile
from server.dispatch.cells import cells_covering
from server.dispatch.eligibility import refusal_for
from server.dispatch.rules import Candidate
from server.orders.dispatching.candidates import candidate_of
from server.orders.tables import Order, OrderStatus
from server.regions import haversine_km
from server.tailors.services import profile_of, skills_of
from server.tailors.tables import TailorProfile

PAGE_SIZE = 20
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
)


@dataclass(frozen=True)
class Rating:
    """A profile's average stars and how many ratings make it."""

    average: float
    count: int


@dataclass(frozen=True)
class FeedItem:
    order: dict[str, Any]
    distance_km: float
    buyer: str
    skill_match: str
    buyer_rating: Rating | None = None


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
    located, rows = await orders_within(candidate, radius, wanted, today)
    page = located[offset : offset + limit]
    designer_ids = sorted({row["designer"] for row in rows.values()})
    buyers = await buyer_names(designer_ids)
    ratings = await buyer_ratings(designer_ids)
    return Feed(
        items=[
            FeedItem(
                order=rows[order_id],
                distance_km=round(distance, 1),
                buyer=buyers.get(rows[order_id]["designer"], ""),
                skill_match=rows[order_id]["category"],
                buyer_rating=ratings.get(rows[order_id]["designer"]),
            )
            for distance, order_id in page
        ],
        has_more=len(located) > offset + limit,
        located=True,
        radius_km=radius,
        skills=skills,
    )


async def orders_within(
    candidate: Candidate, radius: int, categories: list[str], today: date
) -> tuple[list[tuple[float, int]], dict[int, dict[str, Any]]]:
    """(distance, id) of every open order within `radius` that the dispatch rules let this
    tailor open, nearest first, and those orders' rows. The query narrows by index; the rules
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
        return [], {}
    found = {
        row["id"]: row
        for row in await Order.select(*FEED_COLUMNS, Order.dispatch_radius_km).where(
            Order.id.is_in(list(reached))
        )
        if refusal_for(candidate, row, today, reading=True) is None
    }
    return sorted((reached[order_id], order_id) for order_id in found), found


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


def sizes_of(order: dict[str, Any]) -> dict[str, Any]:
    sizes = order.get("sizes") or "{}"
    loaded: dict[str, Any] = json.loads(sizes) if isinstance(sizes, str) else sizes
    return loaded
