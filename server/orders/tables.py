"""Every table of an order's life, in one place: the order and its photos, drafts and
offers (Piccolo app "orders"); why dispatch did or did not alert each tailor (app
"dispatch"); production events, payments, messages, reviews and cancellations (app
"tracking"). The app names are historical: they name the migration folders, see
`server/orders/piccolo_apps/`."""

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


# Dispatch: why an order reached a tailor or not -------------------------------------------


class DispatchDecision(Table):
    """Why an order did or did not reach a tailor, wave by wave: readable by the admin,
    and by the tailor for their own row ("why you")."""

    id: Serial
    order = ForeignKey(references=Order, index=True)
    tailor = ForeignKey(references=Account, index=True)
    wave = Integer()
    outcome = Varchar(length=12)  # alerted | excluded | waiting (eligible, not in this wave)
    reason = Varchar(length=32)
    distance_km = Float(null=True, default=None)
    score = Float(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


# After assignment: production, payments, thread, reviews, cancellations ------------------------


class OrderEvent(Table):
    """One step of production as it happened: a stage reached, or a sample sent back."""

    id: Serial
    order = ForeignKey(references=Order, index=True)
    kind = Varchar(length=24)  # a Stage value, or "sample_rejected"
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    note = Text(default="")
    photo = ForeignKey(references=Photo, null=True, on_delete=OnDelete.set_null)
    courier = Varchar(length=60, default="")
    tracking_number = Varchar(length=60, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class PaymentKind(StrEnum):
    DOWN_PAYMENT = "dp"
    FINAL = "final"


class PaymentStatus(StrEnum):
    DUE = "due"
    PAID = "paid"  # the designer says it was transferred
    CONFIRMED = "confirmed"  # the tailor says it arrived


class Payment(Table):
    """A record of money agreed between the two parties; no money moves through us."""

    id: Serial
    order = ForeignKey(references=Order, index=True)
    kind = Varchar(length=8, choices=PaymentKind)
    pair = Varchar(length=32, unique=True)  # "<order id>:<kind>"
    amount = BigInt()  # whole Rupiah
    status = Varchar(length=12, choices=PaymentStatus, default=PaymentStatus.DUE)
    proof = ForeignKey(references=Photo, null=True, on_delete=OnDelete.set_null)
    paid_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)


class Message(Table):
    """The thread of one order, between its designer and its tailor only."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    order = ForeignKey(references=Order, index=True)
    sender = ForeignKey(references=Account)
    recipient = ForeignKey(references=Account, index=True)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)


class Review(Table):
    """One side's rating of the other after completion: once per order and author."""

    id: Serial
    order = ForeignKey(references=Order, index=True)
    author = ForeignKey(references=Account)
    subject = ForeignKey(references=Account, index=True)
    pair = Varchar(length=32, unique=True)  # "<order id>:<author id>"
    stars = Integer()
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class CancellationStatus(StrEnum):
    PENDING = "pending"  # waiting for the other party
    ACCEPTED = "accepted"  # the other party agreed: the order is cancelled
    WITHDRAWN = "withdrawn"  # the one who asked took it back
    DISPUTED = "disputed"  # the other party refused: an admin decides
    RESOLVED = "resolved"  # the admin decided


class DisputeOutcome(StrEnum):
    CANCEL = "cancel"
    CONTINUE = "continue"


class Cancellation(Table):
    """A request to cancel an order in production, and the dispute it may become."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    order = ForeignKey(references=Order, index=True)
    requested_by = ForeignKey(references=Account)
    reason = Text()
    status = Varchar(length=12, choices=CancellationStatus, default=CancellationStatus.PENDING)
    created_at = Timestamptz(default=TimestamptzNow())
    answered_at = Timestamptz(null=True, default=None)
    refusal = Text(default="")  # why the other party refused
    outcome = Varchar(length=10, default="")  # a DisputeOutcome once resolved
    decision = Text(default="")  # the admin's words, shown to both parties
    decided_by = ForeignKey(
        references=Account, null=True, default=None, on_delete=OnDelete.set_null
    )
    decided_at = Timestamptz(null=True, default=None)
