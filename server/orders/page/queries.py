"""What the order page reads of the tables, beside the order itself (parties.py): the buyer,
the tailor's own offer and dispatch decision, and the production timeline. The page modules
call these and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from server.designers.tables import DesignerProfile
from server.dispatch.rules import WAVE_RADII_KM
from server.orders.offers.feed import Rating
from server.orders.records import OfferRecord
from server.orders.tables import DispatchDecision, Offer, OrderEvent


@dataclass(frozen=True)
class Buyer:
    """The order's designer as tailors read them: the business name, else their own, and the
    rating tailors gave them (None until rated once), as the job feed shows them."""

    name: str
    rating: Rating | None


async def buyer_of(designer_id: int) -> Buyer:
    row = await (
        DesignerProfile.select(
            DesignerProfile.business_name,
            DesignerProfile.account.name,
            DesignerProfile.rating_average,
            DesignerProfile.rating_count,
        )
        .where(DesignerProfile.account == designer_id)
        .first()
    )
    if row is None:
        return Buyer(name="", rating=None)
    count = int(row["rating_count"] or 0)
    return Buyer(
        name=row["business_name"] or row["account.name"],
        rating=Rating(float(row["rating_average"] or 0.0), count) if count > 0 else None,
    )


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
class EventPhoto:
    """What the timeline shows of a stage's photo (`ui.photo` reads these three)."""

    public_id: UUID
    small_width: int
    small_height: int


@dataclass(frozen=True)
class Event:
    """A timeline entry: a production step as the page shows it, with its photo's row."""

    kind: str
    at: datetime
    note: str
    courier: str
    tracking_number: str
    photo: EventPhoto | None


async def timeline_events(order_id: int) -> list[Event]:
    """The order's events, oldest first, each with its photo (one join)."""
    rows = await (
        OrderEvent.select(
            OrderEvent.kind,
            OrderEvent.created_at,
            OrderEvent.note,
            OrderEvent.courier,
            OrderEvent.tracking_number,
            OrderEvent.photo.public_id,
            OrderEvent.photo.small_width,
            OrderEvent.photo.small_height,
        )
        .where(OrderEvent.order == order_id)
        .order_by(OrderEvent.id)
    )
    return [
        Event(
            kind=row["kind"],
            at=row["created_at"],
            note=row["note"],
            courier=row["courier"],
            tracking_number=row["tracking_number"],
            photo=(
                EventPhoto(
                    public_id=row["photo.public_id"],
                    small_width=row["photo.small_width"],
                    small_height=row["photo.small_height"],
                )
                if row["photo.public_id"] is not None
                else None
            ),
        )
        for row in rows
    ]
