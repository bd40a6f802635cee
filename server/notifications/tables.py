from enum import StrEnum

from piccolo.columns import (
    JSON,
    UUID,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table

from server.accounts.tables import Account
from server.auth.tables import Session


class PushSubscription(Table):
    """A browser that receives alerts. It belongs to a signed-in session: signing out of the
    device removes it (cascade)."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    account = ForeignKey(references=Account, index=True)
    session = ForeignKey(references=Session, null=True, index=True)
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=200)
    auth = Varchar(length=100)
    device = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_success_at = Timestamptz(null=True, default=None)


class Notification(Table):
    """What happened, for one person: the in-app list, and the source of every delivery."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    account = ForeignKey(references=Account, index=True)
    kind = Varchar(length=24)
    title = Varchar(length=200)
    body = Text(default="")
    url = Varchar(length=500, default="/")
    tag = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)


class Channel(StrEnum):
    """How a notification reaches someone outside the app; one outbox row per channel and
    address. The value is what the outbox holds."""

    PUSH = "push"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class Delivery(Table):
    """The outbox: one notification on its way to one address on one channel. The address is
    the channel's own column (for push, the subscription: its deliveries go with it)."""

    id: Serial
    notification = ForeignKey(references=Notification, index=True)
    channel = Varchar(length=12, choices=Channel, default=Channel.PUSH)
    push_subscription = ForeignKey(references=PushSubscription, null=True, index=True)
    status = Varchar(length=12, choices=DeliveryStatus, default=DeliveryStatus.PENDING, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class NotificationPreference(Table):
    id: Serial
    account = ForeignKey(references=Account, unique=True, index=True)
    disabled_kinds = JSON(default="[]")
    quiet_start = Varchar(length=5, default="21:00")
    quiet_end = Varchar(length=5, default="06:00")
    new_orders_per_hour = Integer(default=10)
