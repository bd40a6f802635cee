"""Production from assignment to receipt: the tailor posts each stage, the designer approves
the sample and confirms receipt. Each move is one conditional UPDATE on the current stage, so
two taps (or two people) cannot both move the order from the same place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from server.auth.sessions import CurrentUser
from server.clock import now
from server.db import transaction
from server.designers.tables import DesignerProfile
from server.media.images import ProcessedImage
from server.media.services import MediaStore, access_rule, save_photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.cancellations.services import open_request
from server.orders.parties import (
    clean_note,
    order_for_party,
    other_party,
    out_of_production,
    side_of,
    tailor_of,
)
from server.orders.payments.services import create_payments, down_payment_confirmed
from server.orders.production.stages import (
    SAMPLE_REJECTED,
    Stage,
    check_move,
    check_sample_rejection,
)
from server.orders.records import OrderRecord
from server.orders.refusals import StageError, TrackingError
from server.orders.tables import Order, OrderEvent, OrderStatus
from server.tailors.tables import TailorProfile
from server.text import typed_text
from server.web.i18n import gettext as _

SHIPPING_FIELD_MAX = 60
PROGRESS_PHOTO = "progress"


async def start_production(order_id: int) -> None:
    """Called in the assignment's transaction: the order is confirmed and its payments due."""
    row = await (
        Order.select(Order.quantity, Order.agreed_price_per_piece)
        .where(Order.id == order_id)
        .first()
    )
    assert row is not None
    await OrderEvent.insert(OrderEvent(order=order_id, kind=Stage.CONFIRMED))
    await Order.update({Order.stage: Stage.CONFIRMED, Order.revision: Order.revision + 1}).where(
        Order.id == order_id
    )
    await create_payments(order_id, row["quantity"] * row["agreed_price_per_piece"])


def clean_shipping(courier: str, tracking_number: str) -> tuple[str, str]:
    courier, tracking_number = typed_text(courier), typed_text(tracking_number)
    if not courier or not tracking_number:
        raise TrackingError("shipping_required")
    if len(courier) > SHIPPING_FIELD_MAX or len(tracking_number) > SHIPPING_FIELD_MAX:
        raise TrackingError("too_long")
    return courier, tracking_number


async def move_from(
    order: OrderRecord, stage: str, *, completed_at: datetime | None = None
) -> None:
    """The conditional UPDATE to `stage` (and, with `completed_at`, the order completed): it
    only applies if nothing changed the order meanwhile (its revision), so a stage cannot slip
    past a cancellation request or a payment made at the same moment."""
    values: dict[Any, Any] = {Order.stage: stage}
    if completed_at is not None:
        values |= {Order.status: OrderStatus.COMPLETED, Order.completed_at: completed_at}
    rows = await (
        Order.update({**values, Order.revision: Order.revision + 1, Order.updated_at: now()})
        .where(
            (Order.id == order.id)
            & (Order.stage == order.stage)
            & (Order.revision == order.revision)
            & (Order.status == OrderStatus.ASSIGNED)
        )
        .returning(Order.id)
    )
    if not rows:
        raise TrackingError("moved_meanwhile")


async def advance(
    public_id: UUID,
    account_id: int,
    target: str,
    *,
    note: str = "",
    image: ProcessedImage | None = None,
    store: MediaStore | None = None,
    courier: str = "",
    tracking_number: str = "",
) -> OrderRecord:
    """Move the order to `target`, the one next stage, if this party may; returns the order.
    The photo comes re-encoded (`checked_photo`): only its row and file are written here."""
    async with transaction():
        order = await order_for_party(public_id, account_id)
        side = side_of(order, account_id)
        assert side is not None
        if order.status != OrderStatus.ASSIGNED:
            raise out_of_production(order)
        if await open_request(order.id) is not None:
            raise TrackingError("cancellation_open")
        try:
            stage = check_move(
                order.stage,
                target,
                actor=side,
                sample_first=order.sample_first,
                down_payment_confirmed=await down_payment_confirmed(order.id),
            )
        except StageError as error:
            raise TrackingError(error.code) from None
        note = clean_note(note)
        if stage == Stage.SHIPPED:
            courier, tracking_number = clean_shipping(courier, tracking_number)
        else:
            courier, tracking_number = "", ""
        await move_from(order, stage, completed_at=now() if stage == Stage.COMPLETED else None)
        photo_id = None
        if image is not None:
            assert store is not None
            stored = await save_photo(store, account_id, PROGRESS_PHOTO, image)
            photo_id = stored["id"]
        await OrderEvent.insert(
            OrderEvent(
                order=order.id,
                kind=stage,
                actor=account_id,
                note=note,
                photo=photo_id,
                courier=courier,
                tracking_number=tracking_number,
            )
        )
        if stage == Stage.COMPLETED:
            await count_completion(order)
        other = other_party(order, account_id)
        assert other is not None
        await notify(other, AlertKind.ORDER_UPDATE, stage_alert(order, stage))
    return order


async def reject_sample(public_id: UUID, account_id: int, reason: str) -> OrderRecord:
    """The designer sends the sample back with a reason: the tailor makes another."""
    async with transaction():
        order = await order_for_party(public_id, account_id)
        side = side_of(order, account_id)
        if order.status != OrderStatus.ASSIGNED:
            raise out_of_production(order)
        if await open_request(order.id) is not None:
            raise TrackingError("cancellation_open")
        try:
            check_sample_rejection(order.stage, actor=side or "", sample_first=order.sample_first)
        except StageError as error:
            raise TrackingError(error.code) from None
        reason = clean_note(reason, required=True)
        await move_from(order, SAMPLE_REJECTED)
        await OrderEvent.insert(
            OrderEvent(order=order.id, kind=SAMPLE_REJECTED, actor=account_id, note=reason)
        )
        await notify(tailor_of(order), AlertKind.ORDER_UPDATE, stage_alert(order, SAMPLE_REJECTED))
    return order


async def count_completion(order: OrderRecord) -> None:
    await TailorProfile.update(
        {TailorProfile.completed_orders: TailorProfile.completed_orders + 1}
    ).where(TailorProfile.account == order.assigned_tailor)
    await DesignerProfile.update(
        {DesignerProfile.completed_orders: DesignerProfile.completed_orders + 1}
    ).where(DesignerProfile.account == order.designer)


def stage_names() -> dict[str, str]:
    return {
        Stage.CONFIRMED: _("Confirmed"),
        Stage.SAMPLE_MADE: _("Sample made"),
        Stage.SAMPLE_APPROVED: _("Sample approved"),
        Stage.MATERIALS_RECEIVED: _("Materials received"),
        Stage.CUTTING: _("Cutting"),
        Stage.SEWING: _("Sewing"),
        Stage.FINISHING: _("Finishing & QC"),
        Stage.SHIPPED: _("Shipped"),
        Stage.COMPLETED: _("Completed"),
        SAMPLE_REJECTED: _("Sample sent back"),
    }


def stage_alert(order: OrderRecord, stage: str) -> Callable[[], Alert]:
    def alert() -> Alert:
        name = stage_names()[stage]
        if stage == SAMPLE_REJECTED:
            body = _("The designer sent the sample back. Read why and make another.")
        elif stage == Stage.SAMPLE_MADE:
            body = _("The sample is ready: approve it or send it back.")
        elif stage == Stage.SHIPPED:
            body = _("The order is on its way. Confirm receipt when it arrives.")
        elif stage == Stage.COMPLETED:
            body = _("The designer confirmed receipt. Rate each other within 14 days.")
        else:
            body = _("Production moved on. Open the order to see the photo and note.")
        return order_alert(
            order.public_id, _("%(stage)s: %(title)s", stage=name, title=order.title), body
        )

    return alert


@access_rule(PROGRESS_PHOTO)
async def progress_photo_is_for_parties(viewer: CurrentUser | None, photo_id: int) -> bool:
    """A stage photo: the order's designer and tailor (owner and admins are let through before)."""
    if viewer is None:
        return False
    return bool(
        await Order.exists().where(
            Order.id.is_in(OrderEvent.select(OrderEvent.order).where(OrderEvent.photo == photo_id))
            & ((Order.designer == viewer.account_id) | (Order.assigned_tailor == viewer.account_id))
        )
    )
