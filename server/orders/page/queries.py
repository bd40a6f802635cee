"""What the order page reads of the tables, beside the order itself: the tailor's own offer
and dispatch decision, and the production timeline. The page modules call these and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from server.dispatch.rules import WAVE_RADII_KM
from server.media.tables import Photo
from server.orders.records import OfferRecord, OrderRecord
from server.orders.tables import DispatchDecision, Offer, Order, OrderEvent


async def order_by_public_id(public_id: UUID) -> OrderRecord | None:
    row = await Order.select(*OrderRecord.columns()).where(Order.public_id == public_id).first()
    return None if row is None else OrderRecord.from_row(row)


async def own_offer(order_id: int, account_id: int) -> OfferRecord | None:
    """Only this tailor's own offer: other tailors' offers never reach this page."""
    row = (
        await Offer.select(*OfferRecord.columns())
        .where(Offer.pair == f"{order_id}:{account_id}")
        .first()
    )
    return None if row is None else OfferRecord.from_row(row)


@dataclass(frozen=True)
class WhyYou:
    """This tailor's own dispatch decision for the order, and the radius of its wave."""

    wave: int
    outcome: str
    reason: str
    distance_km: float | None
    radius_km: int


async def why_you(order_id: int, account_id: int) -> WhyYou | None:
    """This tailor's own dispatch decision: the wave that alerted them, else the latest one."""
    rows = await (
        DispatchDecision.select(
            DispatchDecision.wave,
            DispatchDecision.outcome,
            DispatchDecision.reason,
            DispatchDecision.distance_km,
        )
        .where((DispatchDecision.order == order_id) & (DispatchDecision.tailor == account_id))
        .order_by(DispatchDecision.wave)
    )
    if not rows:
        return None
    chosen = next((row for row in rows if row["outcome"] == "alerted"), rows[-1])
    wave = int(chosen["wave"])
    return WhyYou(
        wave=chosen["wave"],
        outcome=chosen["outcome"],
        reason=chosen["reason"],
        distance_km=chosen["distance_km"],
        radius_km=WAVE_RADII_KM[min(wave, len(WAVE_RADII_KM)) - 1],
    )


@dataclass(frozen=True)
class Event:
    """A timeline entry: a production step as the page shows it, with its photo's row."""

    kind: str
    at: datetime
    note: str
    courier: str
    tracking_number: str
    photo: dict[str, Any] | None


async def timeline_events(order_id: int) -> list[Event]:
    rows = await (
        OrderEvent.select(
            OrderEvent.kind,
            OrderEvent.created_at,
            OrderEvent.note,
            OrderEvent.courier,
            OrderEvent.tracking_number,
            OrderEvent.photo,
        )
        .where(OrderEvent.order == order_id)
        .order_by(OrderEvent.id)
    )
    photo_ids = [row["photo"] for row in rows if row["photo"]]
    photos = (
        {row["id"]: row for row in await Photo.select().where(Photo.id.is_in(photo_ids))}
        if photo_ids
        else {}
    )
    return [
        Event(
            kind=row["kind"],
            at=row["created_at"],
            note=row["note"],
            courier=row["courier"],
            tracking_number=row["tracking_number"],
            photo=photos.get(row["photo"]),
        )
        for row in rows
    ]
