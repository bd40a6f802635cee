"""What the order page reads of the tables, beside the order itself (parties.py): the buyer,
the tailor's own offer and dispatch decision, and the production timeline. The page modules
call these and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from server.dispatch.rules import WAVE_RADII_KM
from server.orders.offers.feed import Rating
from server.orders.posting.services import ReferencePhoto
from server.orders.records import CancellationRecord, OfferRecord, OrderRecord, PaymentRecord
from server.orders.tables import Order, OrderEvent
from server.tailors.tables import TailorProfile

# Read on every order page: raw statements written once, where Piccolo would build each one
# again, column by column, per request (the names are the tables' own, see tables.py).
OFFER_ALIASES = ", ".join(
    f'f."{name}" AS "offer.{name}"'
    for name in (column._meta.db_column_name for column in OfferRecord.columns())
)
# What the tailor's page reads beside the order, in one statement: their profile row (as
# `profile_of` gives it; NULLs when they have none yet), the buyer, their own offer, and one row
# per wave of their dispatch decisions (or one row with none). The one-row base keeps the
# offer and the buyer when the profile is missing.
TAILOR_SIDE_SQL = f"""
SELECT p.*, d.business_name AS "buyer.business_name", ba.name AS "buyer.name",
  d.rating_average AS "buyer.rating_average", d.rating_count AS "buyer.rating_count",
  {OFFER_ALIASES},
  w.wave AS "why.wave", w.outcome AS "why.outcome", w.reason AS "why.reason",
  w.distance_km AS "why.distance_km"
FROM (SELECT 1 AS one) base
LEFT JOIN tailor_profile p ON p.account = {{}}
LEFT JOIN designer_profile d ON d.account = {{}}
LEFT JOIN account ba ON ba.id = d.account
LEFT JOIN offer f ON f.pair = {{}}
LEFT JOIN dispatch_decision w ON w."order" = {{}} AND w.tailor = {{}}
ORDER BY w.wave
"""  # noqa: S608 (column names of the tables, no values)
PROFILE_COLUMNS = tuple(column._meta.db_column_name for column in TailorProfile._meta.columns)
TIMELINE_SQL = (
    "SELECT e.kind, e.created_at, e.note, e.courier, e.tracking_number,"
    ' p.public_id AS "photo.public_id", p.small_width AS "photo.small_width",'
    ' p.small_height AS "photo.small_height"'
    ' FROM order_event e LEFT JOIN photo p ON p.id = e.photo WHERE e."order" = {} ORDER BY e.id'
)


def _aliases(table: str, prefix: str, names: tuple[str, ...]) -> str:
    return ", ".join(f'{table}."{name}" AS "{prefix}{name}"' for name in names)


PAYMENT_COLUMNS = tuple(column._meta.db_column_name for column in PaymentRecord.columns())
CANCELLATION_COLUMNS = tuple(column._meta.db_column_name for column in CancellationRecord.columns())
REFERENCE_COLUMNS = ("id", "public_id", "owner", "small_width", "small_height")
# The order page's lists in one statement: one row per timeline event, per payment, per
# cancellation request and per reference photo, told apart by `part` (a part with none gives
# one row of NULLs). Every column is a table's own, so both engines give it its type (SQLite
# types a UNION's columns by its first branch only).
PRODUCTION_SQL = f"""
SELECT k.part, e.kind, e.created_at, e.note, e.courier, e.tracking_number,
  p.public_id AS "photo.public_id", p.small_width AS "photo.small_width",
  p.small_height AS "photo.small_height",
  {_aliases("pay", "pay.", PAYMENT_COLUMNS)},
  ph.public_id AS "pay.proof.public_id", ph.small_width AS "pay.proof.small_width",
  ph.small_height AS "pay.proof.small_height",
  {_aliases("c", "cancel.", CANCELLATION_COLUMNS)},
  {_aliases("r", "ref.", REFERENCE_COLUMNS)}
FROM (
  SELECT 'event' AS part UNION ALL SELECT 'payment' UNION ALL SELECT 'cancel'
  UNION ALL SELECT 'ref'
) k
LEFT JOIN order_event e ON k.part = 'event' AND e."order" = {{}}
LEFT JOIN photo p ON p.id = e.photo
LEFT JOIN payment pay ON k.part = 'payment' AND pay."order" = {{}}
LEFT JOIN photo ph ON ph.id = pay.proof
LEFT JOIN cancellation c ON k.part = 'cancel' AND c."order" = {{}}
LEFT JOIN photo r ON k.part = 'ref'
  AND r.id IN (SELECT photo FROM order_photo WHERE "order" = {{}})
ORDER BY k.part, e.id, pay.id, c.id DESC, r.id
"""  # noqa: S608 (column names of the tables, no values)


@dataclass(frozen=True)
class Buyer:
    """The order's designer as tailors read them: the business name, else their own, and the
    rating tailors gave them (None until rated once), as the job feed shows them."""

    name: str
    rating: Rating | None


@dataclass(frozen=True)
class WhyYou:
    """This tailor's own dispatch decision for the order, and the radius of its wave."""

    wave: int
    outcome: str
    reason: str
    distance_km: float | None
    radius_km: int


def why_you(rows: list[dict[str, Any]]) -> WhyYou | None:
    """This tailor's own dispatch decision: the wave that alerted them, else the latest one
    (`rows`: their decisions, by wave, as `wave`, `outcome`, `reason`, `distance_km`)."""
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
class TailorSide:
    """What the tailor's page reads beside the order (`profile` None: they have none yet)."""

    profile: dict[str, Any] | None
    buyer: Buyer
    offer: OfferRecord | None
    why: WhyYou | None


def _prefixed(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}


async def tailor_side(order: OrderRecord, account_id: int) -> TailorSide:
    """The profile, the buyer, only this tailor's own offer (other tailors' offers never reach
    this page) and their dispatch decision, in one statement."""
    rows = await Order.raw(
        TAILOR_SIDE_SQL,
        account_id,
        order.designer,
        f"{order.id}:{account_id}",
        order.id,
        account_id,
    )
    first = rows[0]
    count = int(first["buyer.rating_count"] or 0)
    offer = _prefixed(first, "offer.")
    profile = {name: first[name] for name in PROFILE_COLUMNS}
    return TailorSide(
        profile=profile if profile["id"] is not None else None,
        buyer=Buyer(
            name=first["buyer.business_name"] or first["buyer.name"] or "",
            rating=(
                Rating(float(first["buyer.rating_average"] or 0.0), count) if count > 0 else None
            ),
        ),
        offer=OfferRecord.from_row(offer) if offer["id"] is not None else None,
        why=why_you([_prefixed(row, "why.") for row in rows if row["why.wave"] is not None]),
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
    return events_of(await OrderEvent.raw(TIMELINE_SQL, order_id))


def events_of(rows: list[dict[str, Any]]) -> list[Event]:
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


@dataclass(frozen=True)
class ProductionReads:
    """What the order page lists in production: the timeline (oldest first), the payments as
    `PAYMENTS_SQL` reads them (by id), the cancellation requests (newest first) and the
    reference photos (as `order_photos` reads them)."""

    events: list[Event]
    payments: list[dict[str, Any]]
    cancellations: list[CancellationRecord]
    photos: list[ReferencePhoto]


async def production_reads(order_id: int) -> ProductionReads:
    """The timeline, the payments, the cancellation requests and the reference photos, in
    one statement."""
    rows = await Order.raw(PRODUCTION_SQL, order_id, order_id, order_id, order_id)
    parts: dict[str, list[dict[str, Any]]] = {"event": [], "payment": [], "cancel": [], "ref": []}
    for row in rows:
        parts[row["part"]].append(row)
    return ProductionReads(
        events=events_of([row for row in parts["event"] if row["kind"] is not None]),
        payments=[_prefixed(row, "pay.") for row in parts["payment"] if row["pay.id"] is not None],
        cancellations=CancellationRecord.from_rows(
            [_prefixed(row, "cancel.") for row in parts["cancel"] if row["cancel.id"] is not None]
        ),
        photos=[ReferencePhoto(**_prefixed(row, "ref.")) for row in parts["ref"] if row["ref.id"]],
    )
