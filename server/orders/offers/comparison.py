"""The designer's offers side by side: each live offer with its tailor's distance, rating and
ready date, sorted as the designer asks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from server.orders.tables import Offer, OfferStatus
from server.regions import haversine_km
from server.tailors.services import effective_verification
from server.tailors.tables import TailorProfile, Verification

SORTS = ("price", "distance", "rating", "ready")


@dataclass(frozen=True)
class OfferRow:
    public_id: UUID
    tailor_name: str
    tailor_public_id: UUID
    price_per_piece: int
    total: int
    ready_by: date
    note: str
    version: int
    previous_price_per_piece: int | None
    previous_ready_by: date | None
    distance_km: float | None
    rating: float | None
    rating_count: int
    completed_orders: int
    certified: bool


def sort_offers(rows: list[OfferRow], sort: str) -> list[OfferRow]:
    """Cheapest, nearest, best rated (unrated last) or soonest ready first."""
    keys: dict[str, Callable[[OfferRow], Any]] = {
        "price": lambda row: (row.price_per_piece, row.ready_by),
        "distance": lambda row: (row.distance_km is None, row.distance_km or 0.0),
        "rating": lambda row: (row.rating is None, -(row.rating or 0.0), -row.rating_count),
        "ready": lambda row: (row.ready_by, row.price_per_piece),
    }
    return sorted(rows, key=keys.get(sort, keys["price"]))


async def live_offers(order: dict[str, Any], sort: str = "price") -> list[OfferRow]:
    offers = await Offer.select(
        Offer.public_id,
        Offer.tailor,
        Offer.tailor.name,
        Offer.tailor.public_id,
        Offer.price_per_piece,
        Offer.ready_by,
        Offer.note,
        Offer.version,
        Offer.previous_price_per_piece,
        Offer.previous_ready_by,
    ).where((Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE))
    if not offers:
        return []
    profiles = {
        row["account"]: row
        for row in await TailorProfile.select().where(
            TailorProfile.account.is_in([offer["tailor"] for offer in offers])
        )
    }
    rows = []
    for offer in offers:
        profile = profiles.get(offer["tailor"])
        distance = None
        if profile and profile["latitude"] is not None:
            distance = round(
                haversine_km(
                    order["latitude"], order["longitude"], profile["latitude"], profile["longitude"]
                ),
                1,
            )
        rows.append(
            OfferRow(
                public_id=offer["public_id"],
                tailor_name=offer["tailor.name"],
                tailor_public_id=offer["tailor.public_id"],
                price_per_piece=offer["price_per_piece"],
                total=offer["price_per_piece"] * order["quantity"],
                ready_by=offer["ready_by"],
                note=offer["note"],
                version=offer["version"],
                previous_price_per_piece=offer["previous_price_per_piece"],
                previous_ready_by=offer["previous_ready_by"],
                distance_km=distance,
                rating=profile["rating_average"] if profile and profile["rating_count"] else None,
                rating_count=profile["rating_count"] if profile else 0,
                completed_orders=profile["completed_orders"] if profile else 0,
                certified=profile is not None
                and effective_verification(profile) == Verification.VERIFIED,
            )
        )
    return sort_offers(rows, sort)


async def live_offer_counts(order_ids: list[int]) -> dict[int, int]:
    if not order_ids:
        return {}
    counts: dict[int, int] = {}
    for row in await Offer.select(Offer.order).where(
        Offer.order.is_in(order_ids) & (Offer.status == OfferStatus.LIVE)
    ):
        counts[row["order"]] = counts.get(row["order"], 0) + 1
    return counts
