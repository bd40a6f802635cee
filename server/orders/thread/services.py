"""The message thread of an order, between its designer and its tailor. Admins read it; only
the two parties write, and only while the order has its tailor (in production or completed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request
from piccolo.query.functions.aggregate import Count

from server.clock import now
from server.db import transaction
from server.notifications.bell import STATE_KEY
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.notifications.tables import Notification
from server.orders.parties import IN_PRODUCTION, TailorName, order_for, other_party, side_of
from server.orders.records import MessageRecord, OrderRecord
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


def order_url(order: OrderRecord) -> str:
    return f"/orders/{order.public_id}"


def message_alert(order: OrderRecord, body: str) -> Callable[[], Alert]:
    def alert() -> Alert:
        excerpt = body if len(body) <= ALERT_BODY else body[: ALERT_BODY - 1].rstrip() + "…"
        return Alert(
            title=_("New message: %(title)s", title=order.title),
            body=excerpt,
            url=order_url(order),
            # One push per order on the lock screen: the newest replaces the one before.
            tag=f"messages-{order.public_id}"[:64],
        )

    return alert


async def send_message(public_id: UUID, account_id: int, role: str, body: str) -> OrderRecord:
    """One party writes to the other; the other is alerted in the same transaction."""
    async with transaction():
        order = await order_for(public_id, account_id, role)
        recipient = other_party(order, account_id)
        if recipient is None:
            raise TrackingError("thread_read_only")
        if order.status not in IN_PRODUCTION:
            raise TrackingError("thread_closed")
        body = clean_body(body)
        await Message.insert(
            Message(order=order.id, sender=account_id, recipient=recipient, body=body)
        )
        await notify(recipient, KIND, message_alert(order, body))
    return order


async def mark_read(order: OrderRecord, account_id: int) -> int:
    """The party has the thread in front of them: its messages and their alerts are read.
    Returns how many alerts left the bell."""
    moment = now()
    await Message.update({Message.read_at: moment}).where(
        (Message.order == order.id) & (Message.recipient == account_id) & Message.read_at.is_null()
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


# Everything the thread needs besides its messages, in one statement: it is read on every
# order page in production and by every poll of the list.
FACTS_SQL = """
SELECT
    (SELECT COUNT(*) FROM message WHERE "order" = {order}) AS total,
    (SELECT MAX(id) FROM message WHERE "order" = {order}) AS newest,
    (SELECT COUNT(*) FROM message
        WHERE "order" = {order} AND sender = {viewer} AND read_at IS NULL) AS unread_by_other,
    (SELECT COUNT(*) FROM message
        WHERE "order" = {order} AND recipient = {viewer} AND read_at IS NULL) AS unread,
    (SELECT COUNT(*) FROM notification
        WHERE account = {viewer} AND kind = {kind} AND url = {url} AND read_at IS NULL) AS alerts,
    (SELECT name FROM account WHERE id = {designer}) AS designer_name,
    (SELECT phone FROM account WHERE id = {designer}) AS designer_phone,
    (SELECT name FROM account WHERE id = {tailor}) AS tailor_name,
    (SELECT phone FROM account WHERE id = {tailor}) AS tailor_phone,
    (SELECT public_id FROM account WHERE id = {tailor}) AS tailor_public_id
"""


@dataclass(frozen=True)
class ThreadFacts:
    """The thread's counts for one viewer, and its two parties' names and phones."""

    total: int
    newest: int | None
    unread_by_other: int  # this viewer's messages the other side has not read yet
    unread: int  # messages to this viewer not read yet
    alerts: int  # this order's message alerts still on the viewer's bell
    names: dict[int, str]
    phones: dict[int, str]
    tailor: TailorName | None = None  # as `assigned_tailor` reads them


# Piccolo's placeholders are positional: the names say which value goes where.
FACTS_NAMES = re.findall(r"\{(\w+)\}", FACTS_SQL)
FACTS_QUERY = re.sub(r"\{\w+\}", "{}", FACTS_SQL)
LATEST_SQL = f'{MessageRecord.select_sql()} WHERE "order" = {{}} ORDER BY id DESC LIMIT {SHOWN}'
# The facts and the latest messages in one statement: the facts on every row, and one row
# with no message when the thread is empty.
READS_SQL = f"""
SELECT f.*, m.* FROM ({FACTS_SQL}) f
LEFT JOIN ({LATEST_SQL.replace("{}", "{order}")}) m ON 1 = 1
ORDER BY m.id DESC
"""  # noqa: S608 (column names and numbers, no values)
READS_NAMES = re.findall(r"\{(\w+)\}", READS_SQL)
READS_QUERY = re.sub(r"\{\w+\}", "{}", READS_SQL)


def _values(order: OrderRecord, account_id: int) -> dict[str, Any]:
    return {
        "order": order.id,
        "viewer": account_id,
        "kind": str(KIND),
        "url": order_url(order),
        "designer": order.designer,
        "tailor": order.assigned_tailor,
    }


def _facts(order: OrderRecord, row: dict[str, Any]) -> ThreadFacts:
    parties = ((order.designer, "designer"), (order.assigned_tailor, "tailor"))
    return ThreadFacts(
        total=int(row["total"]),
        newest=row["newest"],
        unread_by_other=int(row["unread_by_other"]),
        unread=int(row["unread"]),
        alerts=int(row["alerts"]),
        names={account: row[f"{side}_name"] for account, side in parties if account is not None},
        phones={account: row[f"{side}_phone"] for account, side in parties if account is not None},
        tailor=(
            TailorName(name=row["tailor_name"], public_id=UUID(str(row["tailor_public_id"])))
            if row["tailor_public_id"] is not None
            else None
        ),
    )


async def thread_facts(order: OrderRecord, account_id: int) -> ThreadFacts:
    values = _values(order, account_id)
    row = (await Message.raw(FACTS_QUERY, *(values[name] for name in FACTS_NAMES)))[0]
    return _facts(order, row)


def polling(order: OrderRecord) -> bool:
    if order.status == OrderStatus.ASSIGNED:
        return True
    completed_at = order.completed_at
    return (
        order.status == OrderStatus.COMPLETED
        and completed_at is not None
        and now() - completed_at < POLL_AFTER_COMPLETION
    )


def facts_etag(order: OrderRecord, account_id: int, facts: ThreadFacts) -> str:
    """What the list shows, cheaply: the newest message (messages are never edited), whether
    the other side has read this viewer's messages, who looks, in which language and zone,
    and whether it still polls."""
    return etag(
        "thread",
        order.id,
        str(order.status),
        facts.total,
        facts.newest,
        facts.unread_by_other,
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


async def thread_reads(
    order: OrderRecord, account_id: int
) -> tuple[ThreadFacts, list[MessageRecord]]:
    """The thread's facts for this viewer and its latest messages (newest first)."""
    values = _values(order, account_id)
    rows = await Message.raw(READS_QUERY, *(values[name] for name in READS_NAMES))
    messages = [MessageRecord.from_row(row) for row in rows if row["id"] is not None]
    return _facts(order, rows[0]), messages


async def latest_rows(order: OrderRecord) -> list[MessageRecord]:
    """The latest messages, newest first."""
    return MessageRecord.from_rows(await Message.raw(LATEST_SQL, order.id))


def shown_messages(
    order: OrderRecord, account_id: int, names: dict[int, str], newest_first: list[MessageRecord]
) -> list[ThreadMessage]:
    rows = newest_first[::-1]
    own = [index for index, row in enumerate(rows) if row.sender == account_id]
    marked = own[-1] if own and rows[own[-1]].read_at is not None else None
    return [
        ThreadMessage(
            public_id=row.public_id,
            body=row.body,
            at=row.created_at,
            sender_name=names.get(row.sender, ""),
            sender_side="designer" if row.sender == order.designer else "tailor",
            mine=row.sender == account_id,
            read_at=row.read_at,
            read_marker=index == marked,
        )
        for index, row in enumerate(rows)
    ]


def whatsapp_url(phone: str, order: OrderRecord) -> str:
    text = _('Hello, about the order "%(title)s" on Clothing Line:', title=order.title)
    return f"{whatsapp_link(phone)}?text={quote(text)}"


@dataclass(frozen=True)
class ThreadState:
    """What the order page shows of the thread, for one viewer: the latest messages, who the
    other party is, whether this viewer may write and how the list polls. `problem` and
    `draft` are set after a refused post, `cleared`: how many message alerts left the bell."""

    side: str | None
    messages: list[ThreadMessage]
    earlier: int
    other_name: str
    whatsapp: str | None
    can_post: bool
    poll: bool
    poll_seconds: int
    etag: str
    cleared: int
    tailor: TailorName | None = None  # the assigned tailor's name and public id
    body_max: int = BODY_MAX
    problem: str | None = None
    draft: str = ""


async def thread_state(
    order: OrderRecord,
    account_id: int,
    *,
    poll_seconds: int = 10,
    facts: ThreadFacts | None = None,
) -> ThreadState:
    """What the order page shows of the thread, for this viewer (`facts`: when the caller has
    them already). A party who sees it has read it: their messages and the bell's message
    alerts for this order become read (written only when there is something to mark)."""
    rows: list[MessageRecord] | None = None
    if facts is None:
        facts, rows = await thread_reads(order, account_id)
    side = side_of(order, account_id)
    marking = bool(side and (facts.unread or facts.alerts))
    cleared = await mark_read(order, account_id) if marking else 0
    if rows is None or marking:  # the messages as they are after this read
        rows = await latest_rows(order)
    other = other_party(order, account_id)
    phone = facts.phones.get(other or 0)
    messages = shown_messages(order, account_id, facts.names, rows)
    return ThreadState(
        side=side,
        messages=messages,
        earlier=max(0, facts.total - len(messages)),
        other_name=facts.names.get(other or 0) or "",
        whatsapp=whatsapp_url(phone, order) if phone and is_whatsapp_number(phone) else None,
        can_post=side is not None and order.status in IN_PRODUCTION,
        poll=polling(order),
        poll_seconds=poll_seconds,
        etag=facts_etag(order, account_id, facts),
        cleared=cleared,
        tailor=facts.tailor,
    )


def with_problem(thread: ThreadState, problem: str | None, draft: str = "") -> ThreadState:
    """The thread after a refused post: the reason, and what was written kept in the form."""
    return replace(thread, problem=problem, draft=draft)


def settle_bell(request: Request[Any, Any, Any], thread: ThreadState) -> ThreadState:
    """The header's count was looked up before the page read its message alerts: lower it."""
    state = request.state
    if thread.cleared and STATE_KEY in state:
        state[STATE_KEY] = max(0, int(state[STATE_KEY]) - thread.cleared)
    return thread
