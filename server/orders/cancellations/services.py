"""Asking to cancel an order in production, and the dispute a refusal becomes.

Before shipping either party may ask, with a reason; one request is open at a time. The one
who asked may withdraw it while it waits; the other party accepts (the order is cancelled) or
refuses (a dispute: production waits until an admin decides, see server.admin.disputes).
Every answer is a conditional UPDATE on the request's status, so two taps cannot both win."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from server.clock import now
from server.db import transaction
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify, notify_admins
from server.orders.alerts import order_alert
from server.orders.parties import (
    NOTE_MAX,
    TrackingError,
    clean_note,
    order_for_party,
    other_party,
    side_of,
    tailor_of,
    touch,
)
from server.orders.production.stages import Stage
from server.orders.records import CancellationRecord, OrderRecord
from server.orders.tables import Cancellation, CancellationStatus, Order, OrderStatus
from server.text import typed_text
from server.web.i18n import gettext as _

REASON_MIN = 5
REASON_MAX = 500
OPEN = (CancellationStatus.PENDING, CancellationStatus.DISPUTED)
TOO_LATE = (Stage.SHIPPED, Stage.COMPLETED)
# A request nobody answers does not hold production forever: it goes to an admin.
ANSWER_WITHIN = timedelta(days=3)


def clean_reason(reason: str) -> str:
    reason = typed_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise TrackingError("cancel_reason_length")
    return reason


def check_cancellable(order: OrderRecord) -> None:
    """Only an order still in production and not yet shipped can be cancelled."""
    if order.status == OrderStatus.CANCELLED:
        raise TrackingError("already_cancelled")
    if order.status == OrderStatus.COMPLETED or order.stage in TOO_LATE:
        raise TrackingError("too_late_to_cancel")
    if order.status != OrderStatus.ASSIGNED:
        raise TrackingError("not_in_production")


async def open_request(order_id: int) -> CancellationRecord | None:
    row = await (
        Cancellation.select(*CancellationRecord.columns())
        .where((Cancellation.order == order_id) & Cancellation.status.is_in(list(OPEN)))
        .order_by(Cancellation.id, ascending=False)
        .first()
    )
    return CancellationRecord.from_row(row) if row is not None else None


async def hold_order(order: OrderRecord) -> None:
    """Bump the revision only if the order is where it was read: this also holds its row, so
    a second request (or a shipment) waits for this transaction and then sees it."""
    rows = await (
        Order.update({Order.revision: Order.revision + 1, Order.updated_at: now()})
        .where(
            (Order.id == order.id)
            & (Order.status == OrderStatus.ASSIGNED)
            & (Order.stage == order.stage)
        )
        .returning(Order.id)
    )
    if not rows:
        raise TrackingError("moved_meanwhile")


async def cancel_order(order_id: int, reason: str) -> None:
    """The order ends here; its payments stay as recorded, the dispatch fields untouched."""
    rows = await (
        Order.update(
            {
                Order.status: OrderStatus.CANCELLED,
                Order.cancel_reason: reason,
                Order.revision: Order.revision + 1,
                Order.updated_at: now(),
            }
        )
        .where(
            (Order.id == order_id)
            & (Order.status == OrderStatus.ASSIGNED)
            & Order.stage.not_in(list(TOO_LATE))
        )
        .returning(Order.id)
    )
    if not rows:
        raise TrackingError("too_late_to_cancel")


async def settle(
    request: CancellationRecord, status: CancellationStatus, *, refusal: str | None = None
) -> None:
    """Move a waiting request on; refused if someone answered or withdrew it meanwhile."""
    changes: dict[Column | str, Any] = {
        Cancellation.status: status,
        Cancellation.answered_at: now(),
    }
    if refusal is not None:
        changes[Cancellation.refusal] = refusal
    rows = await (
        Cancellation.update(changes)
        .where(
            (Cancellation.id == request.id) & (Cancellation.status == CancellationStatus.PENDING)
        )
        .returning(Cancellation.id)
    )
    if not rows:
        raise TrackingError("no_pending_request")


async def waiting_request(order: OrderRecord, account_id: int, *, own: bool) -> CancellationRecord:
    """The request waiting for an answer; `own`: the one acting must be (or not be) its author."""
    request = await open_request(order.id)
    if request is None:
        raise TrackingError("no_pending_request")
    if request.status == CancellationStatus.DISPUTED:
        raise TrackingError("dispute_open")
    mine = request.requested_by == account_id
    if own and not mine:
        raise TrackingError("not_your_request")
    if not own and mine:
        raise TrackingError("own_request")
    return request


async def request_cancellation(public_id: UUID, account_id: int, reason: str) -> OrderRecord:
    async with transaction():
        order = await order_for_party(public_id, account_id)
        check_cancellable(order)
        reason = clean_reason(reason)
        await hold_order(order)
        if await open_request(order.id) is not None:
            raise TrackingError("cancellation_exists")
        await Cancellation.insert(
            Cancellation(order=order.id, requested_by=account_id, reason=reason)
        )
        other = other_party(order, account_id)
        assert other is not None
        await notify(
            other, AlertKind.ORDER_UPDATE, requested_alert(order, side_of(order, account_id))
        )
    return order


async def withdraw_cancellation(public_id: UUID, account_id: int) -> OrderRecord:
    async with transaction():
        order = await order_for_party(public_id, account_id)
        request = await waiting_request(order, account_id, own=True)
        await settle(request, CancellationStatus.WITHDRAWN)
        await touch(order.id)
        other = other_party(order, account_id)
        assert other is not None
        await notify(
            other, AlertKind.ORDER_UPDATE, answer_alert(order, CancellationStatus.WITHDRAWN)
        )
    return order


async def accept_cancellation(public_id: UUID, account_id: int) -> OrderRecord:
    async with transaction():
        order = await order_for_party(public_id, account_id)
        request = await waiting_request(order, account_id, own=False)
        await settle(request, CancellationStatus.ACCEPTED)
        await cancel_order(order.id, request.reason)
        await notify(
            request.requested_by,
            AlertKind.ORDER_UPDATE,
            answer_alert(order, CancellationStatus.ACCEPTED),
        )
    return order


async def refuse_cancellation(public_id: UUID, account_id: int, note: str) -> OrderRecord:
    """The other party says no: the request becomes a dispute for the admins."""
    async with transaction():
        order = await order_for_party(public_id, account_id)
        request = await waiting_request(order, account_id, own=False)
        note = clean_note(note)
        await settle(request, CancellationStatus.DISPUTED, refusal=note)
        await touch(order.id)
        await notify(
            request.requested_by,
            AlertKind.ORDER_UPDATE,
            answer_alert(order, CancellationStatus.DISPUTED),
        )
        await notify_admins(AlertKind.ORDER_UPDATE, dispute_alert(order, request.public_id))
    return order


async def escalate_unanswered(moment: datetime) -> list[int]:
    """Requests left unanswered for ANSWER_WITHIN become disputes (the housekeeping tick runs
    this); both parties and the admins are told. Returns the orders concerned."""
    async with transaction():
        rows = await (
            Cancellation.update(
                {Cancellation.status: CancellationStatus.DISPUTED, Cancellation.answered_at: moment}
            )
            .where(
                (Cancellation.status == CancellationStatus.PENDING)
                & (Cancellation.created_at < moment - ANSWER_WITHIN)
            )
            .returning(Cancellation.order, Cancellation.public_id)
        )
        for row in rows:
            found = await (
                Order.select(*OrderRecord.columns()).where(Order.id == row["order"]).first()
            )
            assert found is not None
            order = OrderRecord.from_row(found)
            await touch(order.id)
            for party in (order.designer, tailor_of(order)):
                await notify(party, AlertKind.ORDER_UPDATE, unanswered_alert(order))
            await notify_admins(AlertKind.ORDER_UPDATE, dispute_alert(order, row["public_id"]))
    return [int(row["order"]) for row in rows]


@dataclass(frozen=True)
class CancellationRequest:
    """A cancellation request as the order page shows it: the record and which side asked."""

    record: CancellationRecord
    requester_side: str | None

    @property
    def public_id(self) -> UUID:
        return self.record.public_id

    @property
    def requested_by(self) -> int:
        return self.record.requested_by

    @property
    def reason(self) -> str:
        return self.record.reason

    @property
    def status(self) -> CancellationStatus:
        return self.record.status

    @property
    def created_at(self) -> datetime:
        return self.record.created_at

    @property
    def answered_at(self) -> datetime | None:
        return self.record.answered_at

    @property
    def refusal(self) -> str:
        return self.record.refusal

    @property
    def outcome(self) -> str:
        return self.record.outcome

    @property
    def decision(self) -> str:
        return self.record.decision

    @property
    def decided_at(self) -> datetime | None:
        return self.record.decided_at


@dataclass(frozen=True)
class CancellationState:
    """What the order page shows of a cancellation request or dispute, for one viewer."""

    current: CancellationRequest | None
    mine: bool
    can_request: bool
    can_withdraw: bool
    can_answer: bool
    accepted: CancellationRequest | None
    decision: CancellationRequest | None
    blocks_production: bool
    reason_min: int = REASON_MIN
    reason_max: int = REASON_MAX
    note_max: int = NOTE_MAX


async def cancellation_state(order: OrderRecord, account_id: int) -> CancellationState:
    """What the order page shows of a cancellation request or dispute, for this viewer."""
    records = CancellationRecord.from_rows(
        await Cancellation.raw(
            f'{CancellationRecord.select_sql()} WHERE "order" = {{}} ORDER BY id DESC', order.id
        )
    )
    return cancellation_view(order, account_id, records)


def cancellation_view(
    order: OrderRecord, account_id: int, records: list[CancellationRecord]
) -> CancellationState:
    """`cancellation_state` of the order's requests as read already (newest first)."""
    rows = [CancellationRequest(record, side_of(order, record.requested_by)) for record in records]
    side = side_of(order, account_id)
    current = next((row for row in rows if row.status in OPEN), None)
    pending = current is not None and current.status == CancellationStatus.PENDING
    mine = current is not None and current.requested_by == account_id
    try:
        check_cancellable(order)
        cancellable = True
    except TrackingError:
        cancellable = False
    accepted = next((row for row in rows if row.status == CancellationStatus.ACCEPTED), None)
    return CancellationState(
        current=current,
        mine=mine,
        can_request=side is not None and current is None and cancellable,
        can_withdraw=pending and mine,
        can_answer=pending and side is not None and not mine,
        accepted=accepted if order.status == OrderStatus.CANCELLED else None,
        decision=next((row for row in rows if row.status == CancellationStatus.RESOLVED), None),
        blocks_production=current is not None,
    )


def requested_alert(order: OrderRecord, side: str | None) -> Callable[[], Alert]:
    def alert() -> Alert:
        body = (
            _("The tailor asks to cancel this order. Read the reason, then accept or refuse.")
            if side == "tailor"
            else _(
                "The designer asks to cancel this order. Read the reason, then accept or refuse."
            )
        )
        return order_alert(
            order.public_id, _("Cancellation requested: %(title)s", title=order.title), body
        )

    return alert


def answer_alert(order: OrderRecord, status: CancellationStatus) -> Callable[[], Alert]:
    def alert() -> Alert:
        if status == CancellationStatus.WITHDRAWN:
            title = _("Cancellation withdrawn: %(title)s", title=order.title)
            body = _("The request to cancel was withdrawn: production goes on.")
        elif status == CancellationStatus.ACCEPTED:
            title = _("Order cancelled: %(title)s", title=order.title)
            body = _("Your request to cancel was accepted. The order is cancelled.")
        else:
            title = _("Cancellation refused: %(title)s", title=order.title)
            body = _(
                "Your request to cancel was refused. An admin will look at the order and decide."
            )
        return order_alert(order.public_id, title, body)

    return alert


def unanswered_alert(order: OrderRecord) -> Callable[[], Alert]:
    return lambda: order_alert(
        order.public_id,
        _("Cancellation goes to an admin: %(title)s", title=order.title),
        _("The request to cancel was not answered within 3 days. An admin will decide."),
    )


def dispute_alert(order: OrderRecord, cancellation_id: UUID) -> Callable[[], Alert]:
    def alert() -> Alert:
        return order_alert(
            order.public_id,
            _("Dispute to decide: %(title)s", title=order.title),
            _("A request to cancel was refused. Look at the order and decide."),
            f"/admin/disputes/{cancellation_id}",
        )

    return alert
