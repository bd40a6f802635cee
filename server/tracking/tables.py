from enum import StrEnum

from piccolo.columns import (
    UUID,
    BigInt,
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
from server.orders.tables import Order


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
