"""One line per order in production, for the lists ("Pekerjaan saya", "Pesanan saya") and the
tailor's home: its stage, what happens next and whose turn it is, how late it runs, and how many
messages wait unread. Two statements for the whole list, none per order."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from server.clock import now
from server.db import reading
from server.orders.cancellations.services import OPEN as OPEN_REQUESTS
from server.orders.lists.queries import facts_rows, tailor_orders
from server.orders.page.production import schedule
from server.orders.page.queries import Event
from server.orders.parties import side_of
from server.orders.payments.services import FINAL_PAYMENT_STAGES
from server.orders.production.services import stage_names
from server.orders.production.stages import Stage, actor_of, next_stage, progress_percent
from server.orders.records import OrderRecord
from server.orders.reviews.services import closes_at
from server.orders.tables import (
    CancellationStatus,
    OrderStatus,
    PaymentKind,
    PaymentStatus,
)
from server.web import i18n
from server.web.i18n import gettext as _

RECENT_DAYS = 30  # finished orders stay on the tailor's list this long

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Todo:
    """Something one party (or the admin) has to do for the order to move on."""

    actor: str  # "designer" | "tailor" | "admin"
    what: str  # translated, to follow "Anda: " or "Menunggu desainer: "
    rating: bool = False  # each side rates for itself: never "waiting for" the other's rating


@dataclass(frozen=True)
class OrderSummary:
    order_id: int
    public_id: UUID
    title: str
    status: str
    stage: str
    stage_name: str
    progress: int
    action: str  # the next step in words, for this viewer ("" once cancelled)
    your_turn: bool
    late_stage: str  # the name of the first stage past its expected date, "" if on time
    late_days: int
    unread: int
    total: int
    ready_by: date | None
    completed_at: datetime | None
    cancel_reason: str
    ended_at: datetime | None  # completed or cancelled: when
    unreadable: bool = False  # its row could not be summarised: the list warns instead

    @property
    def late(self) -> bool:
        return self.late_days > 0


@dataclass(frozen=True)
class OpenRequest:
    """An order's cancellation request still open (asked, or disputed), as the lists read it."""

    requested_by: int
    status: CancellationStatus


@dataclass(frozen=True)
class Facts:
    """What the queries found about one order, beyond its row."""

    events: list[Event]
    payments: dict[str, str]  # kind -> status
    open_cancellation: OpenRequest | None
    reviewed: bool  # this viewer rated the other side already
    unread: int


def stage_action(stage: Stage) -> str:
    if stage == Stage.SAMPLE_APPROVED:
        return _("approve the sample")
    if stage == Stage.COMPLETED:
        return _("confirm receipt")
    if stage == Stage.SHIPPED:
        return _("ship the order with its tracking number")
    return _("post %(stage)s", stage=stage_names()[stage])


def other_side(side: str) -> str:
    return "tailor" if side == "designer" else "designer"


def stage_todos(order: OrderRecord, side: str, payments: dict[str, str]) -> list[Todo]:
    """The next stage, when this side posts it and nothing holds it back."""
    if order.status != OrderStatus.ASSIGNED:
        return []
    upcoming = next_stage(order.stage, order.sample_first)
    if upcoming is None or actor_of(upcoming) != side:
        return []
    dp_confirmed = payments.get(PaymentKind.DOWN_PAYMENT) == PaymentStatus.CONFIRMED
    if upcoming == Stage.SHIPPED and not dp_confirmed:
        return []  # shipping waits for the down payment
    return [Todo(side, stage_action(upcoming))]


def payment_todos(order: OrderRecord, side: str, payments: dict[str, str]) -> list[Todo]:
    """The designer pays (the DP during production, the rest once shipped); the tailor
    confirms what was paid."""
    down, final = payments.get(PaymentKind.DOWN_PAYMENT), payments.get(PaymentKind.FINAL)
    found = []
    if side == "tailor":
        if final == PaymentStatus.PAID:
            found.append(Todo(side, _("confirm the final payment arrived")))
        if down == PaymentStatus.PAID:
            found.append(Todo(side, _("confirm the down payment arrived")))
        return found
    if order.status == OrderStatus.ASSIGNED and down == PaymentStatus.DUE:
        found.append(Todo(side, _("pay the down payment (DP)")))
    if order.stage in FINAL_PAYMENT_STAGES and final == PaymentStatus.DUE:
        found.append(Todo(side, _("pay the final payment")))
    return found


def todos(order: OrderRecord, side: str, facts: Facts, now: datetime) -> list[Todo]:
    """What `side` has to do now, most pressing first (or what it waits for the admin to do)."""
    cancellation = facts.open_cancellation
    if cancellation is not None:
        if cancellation.status == CancellationStatus.DISPUTED:
            return [Todo("admin", _("decide the dispute"))]
        asked_by = "designer" if cancellation.requested_by == order.designer else "tailor"
        return [] if asked_by == side else [Todo(side, _("answer the cancellation request"))]
    # A payment that arrived is confirmed before the next stage; paying comes after acting.
    payments = payment_todos(order, side, facts.payments)
    stages = stage_todos(order, side, facts.payments)
    found = payments + stages if side == "tailor" else stages + payments
    rating_closes = closes_at(order)
    if rating_closes is not None and now <= rating_closes and not facts.reviewed:
        what = _("rate the tailor") if side == "designer" else _("rate the designer")
        found.append(Todo(side, what, rating=True))
    return found


def next_action(order: OrderRecord, side: str, facts: Facts, now: datetime) -> tuple[str, bool]:
    """The sentence the list shows, and whether it is this viewer's turn."""
    if order.status == OrderStatus.CANCELLED:
        return "", False
    mine = [todo for todo in todos(order, side, facts, now) if todo.actor == side]
    if mine:
        return _("You: %(action)s", action=mine[0].what), True
    theirs = [todo for todo in todos(order, other_side(side), facts, now) if not todo.rating]
    if not theirs:
        return _("Done: nothing left to do"), False
    waiting = theirs[0]
    if waiting.actor == "admin":
        return _("Waiting for the admin: %(action)s", action=waiting.what), False
    if waiting.actor == "designer":
        return _("Waiting for the designer: %(action)s", action=waiting.what), False
    return _("Waiting for the tailor: %(action)s", action=waiting.what), False


def summarize(order: OrderRecord, account_id: int, facts: Facts, now: datetime) -> OrderSummary:
    side = side_of(order, account_id) or "designer"
    action, your_turn = next_action(order, side, facts, now)
    late_stage, late_days = "", 0
    if order.status == OrderStatus.ASSIGNED:
        today = i18n.local_date(now)
        _start, _ready_by, steps = schedule(order, facts.events)
        late = [step for step in steps if step.reached is None and step.late_days(today) > 0]
        if late:
            late_stage, late_days = stage_names()[late[0].stage], late[0].late_days(today)
    ended_at = None
    if order.status == OrderStatus.COMPLETED:
        ended_at = order.completed_at
    elif order.status == OrderStatus.CANCELLED:
        ended_at = order.updated_at  # cancelling sets it (orders.cancellations)
    return OrderSummary(
        order_id=order.id,
        public_id=order.public_id,
        title=order.title,
        status=str(order.status),
        stage=order.stage,
        stage_name=stage_names().get(order.stage, ""),
        progress=progress_percent(order.stage, order.sample_first),
        action=action,
        your_turn=your_turn,
        late_stage=late_stage,
        late_days=late_days,
        unread=facts.unread,
        total=(order.agreed_price_per_piece or 0) * order.quantity,
        ready_by=order.agreed_ready_by or order.deadline,
        completed_at=order.completed_at,
        cancel_reason=order.cancel_reason,
        ended_at=ended_at,
    )


async def gather_facts(order_ids: list[int], account_id: int) -> dict[int, Facts]:
    """The events, payments, cancellations, own ratings and unread counts of these orders."""
    if not order_ids:
        return {}
    open_statuses = [str(status) for status in OPEN_REQUESTS]
    rows = await facts_rows(order_ids, account_id, open_statuses)
    events: dict[int, list[Event]] = defaultdict(list)
    for order_id, kind, at in rows.events:
        events[order_id].append(Event(kind, at, "", "", "", None))
    payments: dict[int, dict[str, str]] = defaultdict(dict)
    for order_id, kind, status in rows.payments:
        payments[order_id][kind] = status
    open_cancellations = {
        order_id: OpenRequest(requested_by, CancellationStatus(status))
        for order_id, requested_by, status in rows.open_cancellations
    }
    reviewed, unread = rows.reviewed, rows.unread
    return {
        order_id: Facts(
            events=events[order_id],
            payments=payments[order_id],
            open_cancellation=open_cancellations.get(order_id),
            reviewed=order_id in reviewed,
            unread=unread.get(order_id, 0),
        )
        for order_id in order_ids
    }


def unreadable(order: OrderRecord) -> OrderSummary:
    """What a list shows of an order it could not summarise: its title and a warning."""
    return OrderSummary(
        order_id=order.id,
        public_id=order.public_id,
        title=order.title,
        status=str(order.status),
        stage="",
        stage_name="",
        progress=0,
        action="",
        your_turn=False,
        late_stage="",
        late_days=0,
        unread=0,
        total=0,
        ready_by=None,
        completed_at=None,
        cancel_reason="",
        ended_at=None,
        unreadable=True,
    )


async def summaries(orders: list[OrderRecord], account_id: int) -> dict[int, OrderSummary]:
    """A summary per order (by id) as this party reads it."""
    facts = await gather_facts([order.id for order in orders], account_id)
    moment = now()
    found = {}
    for order in orders:
        try:
            found[order.id] = summarize(order, account_id, facts[order.id], moment)
        except Exception:
            # One row the code cannot read (old data, say) must not take the whole list down.
            logger.exception(
                "order %s (%s, %s/%s) could not be summarised for account %s",
                order.id,
                order.public_id,
                order.status,
                order.stage,
                account_id,
            )
            found[order.id] = unreadable(order)
    return found


# The tailor's list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """A tailor's jobs: in production (whose turn first, then the latest), then the finished."""

    active: list[OrderSummary]
    finished: list[OrderSummary]

    def preview(self, limit: int = 3) -> list[OrderSummary]:
        return self.active[:limit]


def by_urgency(summary: OrderSummary) -> tuple[bool, int, date]:
    return (not summary.your_turn, -summary.late_days, summary.ready_by or date.max)


async def tailor_work(tailor_id: int) -> Work:
    """Orders this tailor makes now, and those completed or cancelled in the last 30 days."""
    since = now() - timedelta(days=RECENT_DAYS)
    async with reading():  # one connection for the orders and their facts
        found = await summaries(await tailor_orders(tailor_id, since), tailor_id)
    active = [summary for summary in found.values() if summary.status == OrderStatus.ASSIGNED]
    finished = [summary for summary in found.values() if summary.status != OrderStatus.ASSIGNED]
    finished = [summary for summary in finished if summary.ended_at and summary.ended_at >= since]
    return Work(
        active=sorted(active, key=by_urgency),
        finished=sorted(finished, key=lambda summary: summary.ended_at or since, reverse=True),
    )
