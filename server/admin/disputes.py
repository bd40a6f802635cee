"""Disputes: a refused cancellation request waits here for an admin, who reads the whole order
(timeline, messages, payments) and decides: the order is cancelled, or production goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from server.accounts.tables import AuditEvent
from server.admin.refusals import AdminError
from server.clock import now
from server.db import transaction
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.cancellations.services import cancel_order
from server.orders.page.production import timeline_events
from server.orders.parties import side_of, touch
from server.orders.refusals import TrackingError
from server.orders.tables import (
    Cancellation,
    CancellationStatus,
    DisputeOutcome,
    Message,
    Order,
    Payment,
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


def listing_columns() -> list[Any]:
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


async def open_count() -> int:
    return int(await Cancellation.count().where(Cancellation.status == CancellationStatus.DISPUTED))


async def disputes() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(open disputes, the one waiting longest first; the latest decided ones)."""
    waiting: list[dict[str, Any]] = await (
        Cancellation.select(*listing_columns())
        .where(Cancellation.status == CancellationStatus.DISPUTED)
        .order_by(Cancellation.answered_at)
    )
    decided: list[dict[str, Any]] = await (
        Cancellation.select(*listing_columns())
        .where(Cancellation.status == CancellationStatus.RESOLVED)
        .order_by(Cancellation.decided_at, ascending=False)
        .limit(RESOLVED_SHOWN)
    )
    moment = now()
    for row in waiting:
        row["age"] = i18n.relative_time(row["answered_at"] or row["created_at"], moment)
    return waiting, decided


async def photos_by_id(ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    return {row["id"]: row for row in await Photo.select().where(Photo.id.is_in(ids))}


async def dispute_detail(public_id: UUID) -> dict[str, Any] | None:
    """The request and its refusal, with all of the order an admin needs to decide."""
    dispute: dict[str, Any] | None = await (
        Cancellation.select(
            *Cancellation.all_columns(),
            Cancellation.requested_by.name.as_alias("requester_name"),
            Cancellation.decided_by.name.as_alias("decided_by_name"),
        )
        .where(Cancellation.public_id == public_id)
        .first()
    )
    if dispute is None:
        return None
    order: dict[str, Any] | None = (
        await Order.select(
            *Order.all_columns(),
            Order.designer.name.as_alias("designer_name"),
            Order.designer.phone.as_alias("designer_phone"),
            Order.assigned_tailor.name.as_alias("tailor_name"),
            Order.assigned_tailor.phone.as_alias("tailor_phone"),
        )
        .where(Order.id == dispute["order"])
        .first()
    )
    assert order is not None
    dispute["requester_side"] = side_of(order, dispute["requested_by"])
    messages = await (
        Message.select(
            Message.body, Message.created_at, Message.sender, Message.sender.name.as_alias("name")
        )
        .where(Message.order == order["id"])
        .order_by(Message.created_at, Message.id)
    )
    for message in messages:
        message["side"] = side_of(order, message["sender"])
    payments = await Payment.select().where(Payment.order == order["id"]).order_by(Payment.id)
    proofs = await photos_by_id([row["proof"] for row in payments if row["proof"]])
    for payment in payments:
        payment["proof_photo"] = proofs.get(payment["proof"])
    earlier = await (
        Cancellation.select(
            Cancellation.public_id,
            Cancellation.status,
            Cancellation.reason,
            Cancellation.created_at,
            Cancellation.outcome,
            Cancellation.decision,
        )
        .where((Cancellation.order == order["id"]) & (Cancellation.id != dispute["id"]))
        .order_by(Cancellation.id)
    )
    return {
        "dispute": dispute,
        "order": order,
        "events": await timeline_events(order["id"]),
        "messages": messages,
        "payments": payments,
        "earlier": earlier,
    }


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
        order = await Order.select().where(Order.id == rows[0]["order"]).first()
        assert order is not None
        if result == DisputeOutcome.CANCEL:
            try:
                await cancel_order(order["id"], rows[0]["reason"])
            except TrackingError:
                raise AdminError("too_late_to_cancel") from None
        else:
            await touch(order["id"])
        parties = (order["designer"], order["assigned_tailor"])
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


def decision_alert(order: dict[str, Any], outcome: DisputeOutcome) -> Callable[[], Alert]:
    def alert() -> Alert:
        body = (
            _("The admin decided to cancel the order. Read the decision on the order page.")
            if outcome == DisputeOutcome.CANCEL
            else _(
                "The admin decided that production continues. Read the decision on the order page."
            )
        )
        return order_alert(
            order["public_id"], _("Admin decision: %(title)s", title=order["title"]), body
        )

    return alert
