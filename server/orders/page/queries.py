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

# Read on every order page: raw statements written once, where Piccolo would build each one
# again, column by column, per request (the names are the tables' own, see tables.py).
BUYER_SQL = (
    'SELECT d.business_name, a.name AS "account.name", d.rating_average, d.rating_count'
    " FROM designer_profile d JOIN account a ON a.id = d.account WHERE d.account = {} LIMIT 1"
)
WHY_YOU_SQL = (
    "SELECT wave, outcome, reason, distance_km FROM dispatch_decision"
    ' WHERE "order" = {} AND tailor = {} ORDER BY wave'
)
TIMELINE_SQL = (
    "SELECT e.kind, e.created_at, e.note, e.courier, e.tracking_number,"
    ' p.public_id AS "photo.public_id", p.small_width AS "photo.small_width",'
    ' p.small_height AS "photo.small_height"'
    ' FROM order_event e LEFT JOIN photo p ON p.id = e.photo WHERE e."order" = {} ORDER BY e.id'
)


@dataclass(frozen=True)
class Buyer:
    """The order's designer as tailors read them: the business name, else their own, and the
    rating tailors gave them (None until rated once), as the job feed shows them."""

    name: str
    rating: Rating | None


async def buyer_of(designer_id: int) -> Buyer:
    rows = await DesignerProfile.raw(BUYER_SQL, designer_id)
    if not rows:
        return Buyer(name="", rating=None)
    row = rows[0]
    count = int(row["rating_count"] or 0)
    return Buyer(
        name=row["business_name"] or row["account.name"],
        rating=Rating(float(row["rating_average"] or 0.0), count) if count > 0 else None,
    )


async def own_offer(order_id: int, account_id: int) -> OfferRecord | None:
    """Only this tailor's own offer: other tailors' offers never reach this page."""
    rows = await Offer.raw(
        f"{OfferRecord.select_sql()} WHERE pair = {{}}", f"{order_id}:{account_id}"
    )
    return OfferRecord.from_row(rows[0]) if rows else None


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
    rows = await DispatchDecision.raw(WHY_YOU_SQL, order_id, account_id)
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
    rows = await OrderEvent.raw(TIMELINE_SQL, order_id)
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
