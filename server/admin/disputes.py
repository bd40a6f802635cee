"""Disputes: a refused cancellation request waits here for an admin, who reads the whole order
(timeline, messages, payments) and decides: the order is cancelled, or production goes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from server.accounts.tables import AuditEvent
from server.admin.refusals import AdminError
from server.clock import now
from server.db import transaction
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.cancellations.services import CancellationRequest, cancel_order
from server.orders.page.queries import Event, timeline_events
from server.orders.parties import side_of, tailor_of, touch
from server.orders.payments.services import PaymentFigures, payments_of
from server.orders.records import CancellationRecord, OrderRecord, PaymentRecord
from server.orders.refusals import TrackingError
from server.orders.tables import (
    Cancellation,
    CancellationStatus,
    DisputeOutcome,
    Message,
    Order,
)
from server.text import typed_text
from server.web import i18n
from server.web.i18n import gettext as _

DECISION_MIN = 5
DECISION_MAX = 1000
RESOLVED_SHOWN = 30


def clean_decision(outcome: str, decision: str) -> tuple[DisputeOutcome, str]:
    if outcome not in tuple(DisputeOutcome):
        raise AdminError("choose_outcome", "outcome")
    decision = typed_text(decision)
    if not DECISION_MIN <= len(decision) <= DECISION_MAX:
        raise AdminError("decision_length", "decision")
    return DisputeOutcome(outcome), decision


def listing_columns() -> list[Column]:
    return [
        Cancellation.public_id,
        Cancellation.status,
        Cancellation.reason,
        Cancellation.created_at,
        Cancellation.answered_at,
        Cancellation.outcome,
        Cancellation.decided_at,
        Cancellation.requested_by.name.as_alias("requester_name"),
        Cancellation.order.title.as_alias("title"),
        Cancellation.order._.designer._.name.as_alias("designer_name"),
        Cancellation.order._.assigned_tailor._.name.as_alias("tailor_name"),
    ]


@dataclass(frozen=True)
class DisputeListing:
    """A dispute in the admin's list: the request, the order's title and who is involved;
    `age`: how long an open one has waited since the refusal."""

    public_id: UUID
    status: CancellationStatus
    reason: str
    created_at: datetime
    answered_at: datetime | None
    outcome: str
    decided_at: datetime | None
    requester_name: str
    title: str
    designer_name: str
    tailor_name: str | None
    age: str = ""


async def open_count() -> int:
    return int(await Cancellation.count().where(Cancellation.status == CancellationStatus.DISPUTED))


async def disputes() -> tuple[list[DisputeListing], list[DisputeListing]]:
    """(open disputes, the one waiting longest first; the latest decided ones)."""
    waiting = await (
        Cancellation.select(*listing_columns())
        .where(Cancellation.status == CancellationStatus.DISPUTED)
        .order_by(Cancellation.answered_at)
    )
    decided = await (
        Cancellation.select(*listing_columns())
        .where(Cancellation.status == CancellationStatus.RESOLVED)
        .order_by(Cancellation.decided_at, ascending=False)
        .limit(RESOLVED_SHOWN)
    )
    moment = now()
    listed = [
        DisputeListing(**{**row, "status": CancellationStatus(row["status"])})
        for row in waiting + decided
    ]
    return [
        replace(item, age=i18n.relative_time(item.answered_at or item.created_at, moment))
        for item in listed[: len(waiting)]
    ], listed[len(waiting) :]


@dataclass(frozen=True)
class Dispute(CancellationRequest):
    """The request an admin decides, with the names of who asked and who decided."""

    requester_name: str = ""
    decided_by_name: str | None = None


@dataclass(frozen=True)
class DisputeMessage:
    body: str
    created_at: datetime
    name: str
    side: str | None


@dataclass(frozen=True)
class DisputePayment(PaymentFigures):
    """A payment as the dispute page lists it, with its transfer proof photo."""

    payment: PaymentRecord
    proof_photo: dict[str, Any] | None


@dataclass(frozen=True)
class DisputeDetail:
    """The request and its refusal, with all of the order an admin needs to decide."""

    dispute: Dispute
    order: OrderRecord
    designer_name: str
    designer_phone: str | None
    tailor_name: str | None
    tailor_phone: str | None
    events: list[Event]
    messages: list[DisputeMessage]
    payments: list[DisputePayment]
    earlier: list[CancellationRecord]


async def photos_by_id(ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    return {row["id"]: row for row in await Photo.select().where(Photo.id.is_in(ids))}


async def dispute_detail(public_id: UUID) -> DisputeDetail | None:
    """The request and its refusal, with all of the order an admin needs to decide."""
    found = await (
        Cancellation.select(
            *CancellationRecord.columns(),
            Cancellation.requested_by.name.as_alias("requester_name"),
            Cancellation.decided_by.name.as_alias("decided_by_name"),
        )
        .where(Cancellation.public_id == public_id)
        .first()
    )
    if found is None:
        return None
    request = CancellationRecord.from_row(found)
    row = await (
        Order.select(
            *OrderRecord.columns(),
            Order.designer.name.as_alias("designer_name"),
            Order.designer.phone.as_alias("designer_phone"),
            Order.assigned_tailor.name.as_alias("tailor_name"),
            Order.assigned_tailor.phone.as_alias("tailor_phone"),
        )
        .where(Order.id == request.order)
        .first()
    )
    assert row is not None
    order = OrderRecord.from_row(row)
    messages = [
        DisputeMessage(
            body=message["body"],
            created_at=message["created_at"],
            name=message["name"],
            side=side_of(order, message["sender"]),
        )
        for message in await Message.select(
            Message.body,
            Message.created_at,
            Message.sender,
            Message.sender.name.as_alias("name"),
        )
        .where(Message.order == order.id)
        .order_by(Message.created_at, Message.id)
    ]
    payments = await payments_of(order.id)
    proofs = await photos_by_id([payment.proof for payment in payments if payment.proof])
    earlier = CancellationRecord.from_rows(
        await Cancellation.select(*CancellationRecord.columns())
        .where((Cancellation.order == order.id) & (Cancellation.id != request.id))
        .order_by(Cancellation.id)
    )
    return DisputeDetail(
        dispute=Dispute(
            record=request,
            requester_side=side_of(order, request.requested_by),
            requester_name=found["requester_name"],
            decided_by_name=found["decided_by_name"],
        ),
        order=order,
        designer_name=row["designer_name"],
        designer_phone=row["designer_phone"],
        tailor_name=row["tailor_name"],
        tailor_phone=row["tailor_phone"],
        events=await timeline_events(order.id),
        messages=messages,
        payments=[
            DisputePayment(payment, proofs.get(payment.proof) if payment.proof else None)
            for payment in payments
        ],
        earlier=earlier,
    )


async def decide(public_id: UUID, admin_id: int, outcome: str, decision: str) -> DisputeOutcome:
    """Close the dispute once: cancel the order, or let production resume."""
    result, decision = clean_decision(outcome, decision)
    async with transaction():
        rows = await (
            Cancellation.update(
                {
                    Cancellation.status: CancellationStatus.RESOLVED,
                    Cancellation.outcome: result,
                    Cancellation.decision: decision,
                    Cancellation.decided_by: admin_id,
                    Cancellation.decided_at: now(),
                }
            )
            .where(
                (Cancellation.public_id == public_id)
                & (Cancellation.status == CancellationStatus.DISPUTED)
            )
            .returning(Cancellation.order, Cancellation.reason)
        )
        if not rows:
            resolved = await Cancellation.exists().where(
                (Cancellation.public_id == public_id)
                & (Cancellation.status == CancellationStatus.RESOLVED)
            )
            raise AdminError("already_decided" if resolved else "not_disputed")
        found = await (
            Order.select(*OrderRecord.columns()).where(Order.id == rows[0]["order"]).first()
        )
        assert found is not None
        order = OrderRecord.from_row(found)
        if result == DisputeOutcome.CANCEL:
            try:
                await cancel_order(order.id, rows[0]["reason"])
            except TrackingError:
                raise AdminError("too_late_to_cancel") from None
        else:
            await touch(order.id)
        parties = (order.designer, tailor_of(order))
        # One row per party: each account's history shows the decision that touched it.
        await AuditEvent.insert(
            *[
                AuditEvent(subject=party, actor=admin_id, kind=f"dispute_{result}", reason=decision)
                for party in parties
            ]
        )
        for party in parties:
            await notify(party, AlertKind.ORDER_UPDATE, decision_alert(order, result))
    return result


def decision_alert(order: OrderRecord, outcome: DisputeOutcome) -> Callable[[], Alert]:
    def alert() -> Alert:
        body = (
            _("The admin decided to cancel the order. Read the decision on the order page.")
            if outcome == DisputeOutcome.CANCEL
            else _(
                "The admin decided that production continues. Read the decision on the order page."
            )
        )
        return order_alert(order.public_id, _("Admin decision: %(title)s", title=order.title), body)

    return alert
