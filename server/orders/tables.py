from enum import StrEnum

from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table

from server.accounts.tables import Account
from server.media.tables import Photo


class OrderMode(StrEnum):
    BIDDING = "bidding"  # Penawaran: tailors quote, the designer chooses
    DIRECT = "direct"  # Langsung: the first eligible tailor to take it at the posted price


class OrderStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"  # in production (see `stage`)
    COMPLETED = "completed"  # the designer confirmed receipt
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Order(Table):
    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    designer = ForeignKey(references=Account, index=True)
    category = Varchar(length=20, index=True)
    title = Varchar(length=120)
    description = Text(default="")
    quantity = Integer()
    sizes = JSON(default="{}")  # {"S": 10, "M": 20, ..., "custom": "note"}
    fabric_by = Varchar(length=10, default="designer")  # designer | tailor
    budget_per_piece = BigInt()  # whole Rupiah
    deadline = Date()
    sample_first = Boolean(default=False)
    province_code = Varchar(length=8)
    city_code = Varchar(length=8)
    latitude = Float()
    longitude = Float()
    h3_cell = Varchar(length=16, index=True)
    mode = Varchar(length=10, choices=OrderMode, default=OrderMode.BIDDING)
    status = Varchar(length=12, choices=OrderStatus, default=OrderStatus.OPEN, index=True)
    assigned_tailor = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    agreed_price_per_piece = BigInt(null=True, default=None)
    agreed_ready_by = Date(null=True, default=None)
    # The current stage (server.tracking), and a counter bumped by every change the order page
    # shows: it makes the page's ETag, and a tailor's "Ambil" carries the one they saw, so a
    # change of the terms (price, quantity, deadline, sample) in between refuses the take.
    stage = Varchar(length=24, default="")
    revision = Integer(default=0)
    completed_at = Timestamptz(null=True, default=None)
    cancel_reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    assigned_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # Dispatch state: which wave went out, how far it reached, when the next one is due.
    dispatch_wave = Integer(default=0)
    dispatch_radius_km = Integer(default=0)
    next_wave_at = Timestamptz(null=True, default=None, index=True)


class OrderDraft(Table):
    """An order being written: whatever the form held, checked only when published."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    designer = ForeignKey(references=Account, index=True)
    data = JSON(default="{}")
    updated_at = Timestamptz(default=TimestamptzNow())


class OrderPhoto(Table):
    id: Serial
    order = ForeignKey(references=Order, index=True)
    photo = ForeignKey(references=Photo)


class OfferStatus(StrEnum):
    LIVE = "live"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Offer(Table):
    """A tailor's quote. One row per tailor and order (`pair` is unique): one live offer.
    Each change is a new `version` (the designer's "accept" carries the one they saw), keeping
    the figures it replaced so the designer sees what changed."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    order = ForeignKey(references=Order, index=True)
    tailor = ForeignKey(references=Account, index=True)
    pair = Varchar(length=40, unique=True)  # "<order id>:<tailor id>"
    price_per_piece = BigInt()
    ready_by = Date()
    note = Text(default="")
    version = Integer(default=1)
    previous_price_per_piece = BigInt(null=True, default=None)
    previous_ready_by = Date(null=True, default=None)
    status = Varchar(length=12, choices=OfferStatus, default=OfferStatus.LIVE, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
