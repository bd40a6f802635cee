"""The order domain's records: what its services take and return instead of rows.

Each record is a frozen dataclass named after its table, built in one place from the columns
it names: `OrderRecord.columns()` is what to select, `OrderRecord.from_row(row)` reads the row
(a JSON column that comes back as text on SQLite is decoded, a status becomes its enum).
Templates read attributes (`order.title`), and mypy checks every use.

A view that needs only some columns or joins others (the feed's cards, the work lists'
summaries) has its own record beside the service that builds it; it is never a dict.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Self
from uuid import UUID

from piccolo.columns import Column
from piccolo.table import Table

from server.orders.tables import (
    Cancellation,
    CancellationStatus,
    DispatchDecision,
    Message,
    Offer,
    OfferStatus,
    Order,
    OrderEvent,
    OrderMode,
    OrderStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    Review,
)

_SELECT_SQL: dict[type[Record], str] = {}


class Record:
    """A row of `TABLE`, typed. Subclasses are frozen dataclasses whose fields are columns."""

    TABLE: ClassVar[type[Table]]
    # Fields converted on the way in: a StrEnum (or any callable) per column name.
    CONVERT: ClassVar[dict[str, Any]] = {}
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def columns(cls) -> tuple[Column, ...]:
        """The table's columns this record holds, in field order: pass them to `select` or to
        `returning`."""
        return tuple(getattr(cls.TABLE, f.name) for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    @classmethod
    def select_sql(cls) -> str:
        """`SELECT <these columns> FROM <the table>`, built once per record: for hot reads run
        as raw SQL, which Piccolo would otherwise build again, column by column, every time."""
        sql = _SELECT_SQL.get(cls)
        if sql is None:
            columns = ", ".join(f'"{column._meta.db_column_name}"' for column in cls.columns())
            table = cls.TABLE._meta.tablename
            sql = _SELECT_SQL[cls] = f'SELECT {columns} FROM "{table}"'  # noqa: S608 (names)
        return sql

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            value = row[f.name]
            if f.name in cls.JSON_FIELDS and isinstance(value, str):
                value = json.loads(value)
            convert = cls.CONVERT.get(f.name)
            if convert is not None and value is not None:
                value = convert(value)
            values[f.name] = value
        return cls(**values)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> list[Self]:
        return [cls.from_row(row) for row in rows]


@dataclass(frozen=True)
class OrderRecord(Record):
    TABLE: ClassVar[type[Table]] = Order
    CONVERT: ClassVar[dict[str, Any]] = {"mode": OrderMode, "status": OrderStatus}
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("sizes",)

    id: int
    public_id: UUID
    designer: int
    category: str
    title: str
    description: str
    quantity: int
    sizes: dict[str, Any]
    fabric_by: str
    budget_per_piece: int
    deadline: date
    sample_first: bool
    province_code: str
    city_code: str
    latitude: float
    longitude: float
    h3_cell: str
    mode: OrderMode
    status: OrderStatus
    assigned_tailor: int | None
    agreed_price_per_piece: int | None
    agreed_ready_by: date | None
    stage: str
    revision: int
    completed_at: datetime | None
    cancel_reason: str
    created_at: datetime
    published_at: datetime | None
    assigned_at: datetime | None
    updated_at: datetime
    dispatch_wave: int
    dispatch_radius_km: int
    next_wave_at: datetime | None


@dataclass(frozen=True)
class OfferRecord(Record):
    TABLE: ClassVar[type[Table]] = Offer
    CONVERT: ClassVar[dict[str, Any]] = {"status": OfferStatus}

    id: int
    public_id: UUID
    order: int
    tailor: int
    pair: str
    price_per_piece: int
    ready_by: date
    note: str
    version: int
    previous_price_per_piece: int | None
    previous_ready_by: date | None
    status: OfferStatus
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DispatchDecisionRecord(Record):
    TABLE: ClassVar[type[Table]] = DispatchDecision

    id: int
    order: int
    tailor: int
    wave: int
    outcome: str
    reason: str
    distance_km: float | None
    score: float | None
    created_at: datetime


@dataclass(frozen=True)
class StageEvent(Record):
    """One step of production as it happened (a row of OrderEvent)."""

    TABLE: ClassVar[type[Table]] = OrderEvent

    id: int
    order: int
    kind: str
    actor: int | None
    note: str
    photo: int | None
    courier: str
    tracking_number: str
    created_at: datetime


@dataclass(frozen=True)
class PaymentRecord(Record):
    TABLE: ClassVar[type[Table]] = Payment
    CONVERT: ClassVar[dict[str, Any]] = {"kind": PaymentKind, "status": PaymentStatus}

    id: int
    order: int
    kind: PaymentKind
    pair: str
    amount: int
    status: PaymentStatus
    proof: int | None
    paid_at: datetime | None
    confirmed_at: datetime | None


@dataclass(frozen=True)
class MessageRecord(Record):
    TABLE: ClassVar[type[Table]] = Message

    id: int
    public_id: UUID
    order: int
    sender: int
    recipient: int
    body: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class ReviewRecord(Record):
    TABLE: ClassVar[type[Table]] = Review

    id: int
    order: int
    author: int
    subject: int
    pair: str
    stars: int
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class CancellationRecord(Record):
    TABLE: ClassVar[type[Table]] = Cancellation
    CONVERT: ClassVar[dict[str, Any]] = {"status": CancellationStatus}

    id: int
    public_id: UUID
    order: int
    requested_by: int
    reason: str
    status: CancellationStatus
    created_at: datetime
    answered_at: datetime | None
    refusal: str
    outcome: str
    decision: str
    decided_by: int | None
    decided_at: datetime | None
