"""The message thread of an order, between its designer and its tailor. Admins read it; only
the two parties write, and only while the order has its tailor (in production or completed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request
from piccolo.query.functions.aggregate import Count, Max

from server.accounts.tables import Account
from server.clock import now
from server.db import transaction
from server.notifications.bell import STATE_KEY
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.notifications.tables import Notification
from server.orders.parties import IN_PRODUCTION, order_for, other_party, side_of
from server.orders.refusals import TrackingError
from server.orders.tables import Message, OrderStatus
from server.phones import is_whatsapp_number, whatsapp_link
from server.text import typed_text
from server.web import i18n
from server.web.conditional import etag
from server.web.i18n import gettext as _

BODY_MAX = 1000
SHOWN = 50
# A finished order's thread is still read now and then, but nobody waits for an answer there.
POLL_AFTER_COMPLETION = timedelta(days=14)
ALERT_BODY = 120
KIND = AlertKind.MESSAGE


async def unread_counts(order_ids: list[int], account_id: int) -> dict[int, int]:
    """Messages this account has not read yet, per order."""
    if not order_ids:
        return {}
    rows = await (
        Message.select(Message.order, Count(Message.id, alias="unread"))
        .where(
            Message.order.is_in(order_ids)
            & (Message.recipient == account_id)
            & Message.read_at.is_null()
        )
        .group_by(Message.order)
    )
    return {row["order"]: int(row["unread"]) for row in rows}


def clean_body(body: str) -> str:
    body = typed_text(body)
    if not body:
        raise TrackingError("message_empty")
    if len(body) > BODY_MAX:
        raise TrackingError("message_too_long")
    return body


def order_url(order: dict[str, Any]) -> str:
    return f"/orders/{order['public_id']}"


def message_alert(order: dict[str, Any], body: str) -> Callable[[], Alert]:
    def alert() -> Alert:
        excerpt = body if len(body) <= ALERT_BODY else body[: ALERT_BODY - 1].rstrip() + "…"
        return Alert(
            title=_("New message: %(title)s", title=order["title"]),
            body=excerpt,
            url=order_url(order),
            # One push per order on the lock screen: the newest replaces the one before.
            tag=f"messages-{order['public_id']}"[:64],
        )

    return alert


async def send_message(public_id: UUID, account_id: int, role: str, body: str) -> dict[str, Any]:
    """One party writes to the other; the other is alerted in the same transaction."""
    async with transaction():
        order = await order_for(public_id, account_id, role)
        recipient = other_party(order, account_id)
        if recipient is None:
            raise TrackingError("thread_read_only")
        if order["status"] not in IN_PRODUCTION:
            raise TrackingError("thread_closed")
        body = clean_body(body)
        await Message.insert(
            Message(order=order["id"], sender=account_id, recipient=recipient, body=body)
        )
        await notify(recipient, KIND, message_alert(order, body))
    return order


async def mark_read(order: dict[str, Any], account_id: int) -> int:
    """The party has the thread in front of them: its messages and their alerts are read.
    Returns how many alerts left the bell."""
    moment = now()
    await Message.update({Message.read_at: moment}).where(
        (Message.order == order["id"])
        & (Message.recipient == account_id)
        & Message.read_at.is_null()
    )
    cleared = await (
        Notification.update({Notification.read_at: moment})
        .where(
            (Notification.account == account_id)
            & (Notification.kind == KIND)
            & (Notification.url == order_url(order))
            & Notification.read_at.is_null()
        )
        .returning(Notification.id)
    )
    return len(cleared)


def polling(order: dict[str, Any]) -> bool:
    if order["status"] == OrderStatus.ASSIGNED:
        return True
    completed_at = order["completed_at"]
    return (
        order["status"] == OrderStatus.COMPLETED
        and completed_at is not None
        and now() - completed_at < POLL_AFTER_COMPLETION
    )


async def thread_etag(order: dict[str, Any], account_id: int) -> str:
    """What the list shows, cheaply: the newest message (messages are never edited), whether
    the other side has read this viewer's messages, who looks, in which language and zone,
    and whether it still polls."""
    totals = await (
        Message.select(Count(Message.id, alias="total"), Max(Message.id, alias="newest"))
        .where(Message.order == order["id"])
        .first()
    )
    unread_by_other = await Message.count().where(
        (Message.order == order["id"]) & (Message.sender == account_id) & Message.read_at.is_null()
    )
    return etag(
        "thread",
        order["id"],
        order["status"],
        totals["total"] if totals else 0,
        totals["newest"] if totals else None,
        unread_by_other,
        account_id,
        i18n.get_locale(),
        str(i18n.get_timezone()),
        polling(order),
    )


@dataclass(frozen=True)
class ThreadMessage:
    public_id: UUID
    body: str
    at: datetime
    sender_name: str
    sender_side: str
    mine: bool
    read_at: datetime | None
    read_marker: bool = False


async def latest_messages(
    order: dict[str, Any], account_id: int, names: dict[int, str]
) -> list[ThreadMessage]:
    rows = await (
        Message.select()
        .where(Message.order == order["id"])
        .order_by(Message.id, ascending=False)
        .limit(SHOWN)
    )
    rows.reverse()
    own = [index for index, row in enumerate(rows) if row["sender"] == account_id]
    marked = own[-1] if own and rows[own[-1]]["read_at"] is not None else None
    return [
        ThreadMessage(
            public_id=row["public_id"],
            body=row["body"],
            at=row["created_at"],
            sender_name=names.get(row["sender"], ""),
            sender_side="designer" if row["sender"] == order["designer"] else "tailor",
            mine=row["sender"] == account_id,
            read_at=row["read_at"],
            read_marker=index == marked,
        )
        for index, row in enumerate(rows)
    ]


def whatsapp_url(phone: str, order: dict[str, Any]) -> str:
    text = _('Hello, about the order "%(title)s" on Clothing Line:', title=order["title"])
    return f"{whatsapp_link(phone)}?text={quote(text)}"


async def thread_state(
    order: dict[str, Any], account_id: int, *, poll_seconds: int = 10
) -> dict[str, Any]:
    """What the order page shows of the thread, for this viewer. A party who sees it has read
    it: their messages and the bell's message alerts for this order become read."""
    side = side_of(order, account_id)
    cleared = await mark_read(order, account_id) if side else 0
    party_ids = [order["designer"], order["assigned_tailor"]]
    people = {
        row["id"]: row
        for row in await Account.select(Account.id, Account.name, Account.phone).where(
            Account.id.is_in(party_ids)
        )
    }
    names = {account: row["name"] for account, row in people.items()}
    other = people.get(other_party(order, account_id) or 0)
    messages = await latest_messages(order, account_id, names)
    total = await Message.count().where(Message.order == order["id"])
    return {
        "side": side,
        "messages": messages,
        "earlier": max(0, total - len(messages)),
        "other_name": other["name"] if other else "",
        "whatsapp": (
            whatsapp_url(other["phone"], order)
            if other and is_whatsapp_number(other["phone"])
            else None
        ),
        "can_post": side is not None and order["status"] in IN_PRODUCTION,
        "poll": polling(order),
        "poll_seconds": poll_seconds,
        "etag": await thread_etag(order, account_id),
        "body_max": BODY_MAX,
        "cleared": cleared,
        "problem": None,
        "draft": "",
    }


def settle_bell(request: Request[Any, Any, Any], thread: dict[str, Any]) -> dict[str, Any]:
    """The header's count was looked up before the page read its message alerts: lower it."""
    state = request.state
    if thread.get("cleared") and STATE_KEY in state:
        state[STATE_KEY] = max(0, int(state[STATE_KEY]) - int(thread["cleared"]))
    return thread
