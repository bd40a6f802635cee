"""The feed's statements, as raw SQL through Piccolo's engine: /jobs runs them on every visit,
and building them with the query builder cost more than running them. Written once for both
engines (placeholders are Piccolo's `{}`; column references keep their declared types, so
SQLite converts dates, times and UUIDs as Piccolo's own selects do)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from server.dispatch.rules import Candidate
from server.orders.sql import placeholders
from server.orders.tables import Order, OrderMode, OrderStatus
from server.tailors.services import effective_verification
from server.tailors.tables import TailorProfile

# One row per skill (or one with skill NULL): the profile, the account's status, and the
# assigned work that weighs on the tailor's capacity and recent jobs, in one statement.
TAILOR = """
SELECT p.*, a.status AS account_status, s.category AS skill,
  (SELECT coalesce(sum(o.quantity), 0) FROM "order" o
    WHERE o.status = {} AND o.assigned_tailor = p.account) AS committed_pieces,
  (SELECT count(*) FROM "order" o
    WHERE o.status = {} AND o.assigned_tailor = p.account AND o.assigned_at >= {}) AS recent_jobs
FROM tailor_profile p
JOIN account a ON a.id = p.account
LEFT JOIN tailor_skill s ON s.profile = p.id
WHERE p.account = {}
ORDER BY s.category
"""

# What the dispatch rules weigh of the open orders in reach: hundreds for twenty on a page.
OPEN_NEAR = """
SELECT id, latitude, longitude, dispatch_radius_km, category, quantity, deadline
FROM "order"
WHERE status = {{}} AND h3_cell IN ({cells}) AND category IN ({categories})
  AND quantity >= {{}} AND deadline >= {{}}
"""

# The cards of one page, with the buyer's name and rating.
CARDS = """
SELECT o.id, o.public_id, o.designer, o.category, o.title, o.quantity, o.budget_per_piece,
  o.deadline, o.city_code, o.latitude, o.longitude, o.mode, o.revision, o.published_at,
  o.dispatch_radius_km,
  d.id AS designer_profile, d.business_name, a.name AS designer_name,
  d.rating_average, d.rating_count
FROM "order" o
JOIN account a ON a.id = o.designer
LEFT JOIN designer_profile d ON d.account = o.designer
WHERE o.id IN ({ids})
"""


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


FEED_ORDER_FIELDS = tuple(name for name in FeedOrder.__dataclass_fields__ if name != "mode")


@dataclass(frozen=True)
class Rating:
    """A profile's average stars and how many ratings make it."""

    average: float
    count: int


PROFILE_COLUMNS = tuple(column._meta.db_column_name for column in TailorProfile._meta.columns)


@dataclass(frozen=True)
class TailorRow:
    """The tailor as the feed reads them: the profile row (as `profile_of` gives it), skills,
    and the work they hold."""

    profile: dict[str, Any]
    account_active: bool
    skills: list[str]
    committed_pieces: int
    recent_jobs: int

    def candidate(self, today: date) -> Candidate:
        """The tailor as dispatch weighs them (as `candidates_where` builds them)."""
        profile = self.profile
        return Candidate(
            account_id=profile["account"],
            verification=effective_verification(profile, today),
            available=bool(profile["available"]),
            active=self.account_active,
            skills=frozenset(self.skills),
            latitude=profile["latitude"],
            longitude=profile["longitude"],
            radius_km=profile["service_radius_km"],
            minimum_order=profile["minimum_order"],
            weekly_capacity=profile["weekly_capacity"],
            committed_pieces=self.committed_pieces,
            rating=profile["rating_average"],
            recent_jobs=self.recent_jobs,
        )


@dataclass(frozen=True)
class OpenOrder:
    """An open order in reach, as the dispatch rules weigh it."""

    id: int
    latitude: float
    longitude: float
    dispatch_radius_km: int
    category: str
    quantity: int
    deadline: date


@dataclass(frozen=True)
class Card:
    """An order on the feed's page, with its buyer's name and rating."""

    order: FeedOrder
    buyer: str
    rating: Rating | None


async def tailor_row(account_id: int, since: datetime) -> TailorRow | None:
    """None when the tailor has no profile yet."""
    assigned = str(OrderStatus.ASSIGNED)
    rows = await TailorProfile.raw(TAILOR, assigned, assigned, since, account_id)
    if not rows:
        return None
    first = rows[0]
    return TailorRow(
        profile={name: first[name] for name in PROFILE_COLUMNS},
        account_active=first["account_status"] == "active",
        skills=[row["skill"] for row in rows if row["skill"] is not None],
        committed_pieces=int(first["committed_pieces"]),
        recent_jobs=int(first["recent_jobs"]),
    )


async def open_near(
    cells: Sequence[str], categories: Sequence[str], minimum_order: int, today: date
) -> list[OpenOrder]:
    if not cells or not categories:
        return []
    sql = OPEN_NEAR.format(cells=placeholders(len(cells)), categories=placeholders(len(categories)))
    rows = await Order.raw(sql, str(OrderStatus.OPEN), *cells, *categories, minimum_order, today)
    return [OpenOrder(**row) for row in rows]


async def cards_of(order_ids: Sequence[int]) -> dict[int, Card]:
    if not order_ids:
        return {}
    cards = {}
    for row in await Order.raw(CARDS.format(ids=placeholders(len(order_ids))), *order_ids):
        order = FeedOrder(
            **{name: row[name] for name in FEED_ORDER_FIELDS}, mode=OrderMode(row["mode"])
        )
        has_profile = row["designer_profile"] is not None
        rated = has_profile and int(row["rating_count"] or 0) > 0
        cards[order.id] = Card(
            order=order,
            buyer=(row["business_name"] or row["designer_name"]) if has_profile else "",
            rating=(
                Rating(float(row["rating_average"] or 0.0), int(row["rating_count"]))
                if rated
                else None
            ),
        )
    return cards
