"""The payments record: a down payment (DP) and the final payment, marked paid by the designer
and confirmed by the tailor. No money moves through Clothing Line.

Each change is one conditional UPDATE on the payment's status, so a double tap (or two
devices) changes it once; the second is told the payment moved on already."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from server.auth.sessions import CurrentUser
from server.clock import now
from server.db import transaction
from server.media.images import ProcessedImage
from server.media.services import MediaStore, access_rule, save_photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.parties import order_for_party, out_of_production, side_of, tailor_of, touch
from server.orders.production.stages import Stage
from server.orders.records import OrderRecord, PaymentRecord
from server.orders.refusals import TrackingError
from server.orders.tables import Order, OrderStatus, Payment, PaymentKind, PaymentStatus
from server.web import i18n
from server.web.i18n import gettext as _

DOWN_PAYMENT_PERCENT = 50
PERCENT_RANGE = (10, 100)
PROOF_PHOTO = "payment_proof"
# The final payment is for goods on their way: it can be marked once the order is shipped.
FINAL_PAYMENT_STAGES = (Stage.SHIPPED, Stage.COMPLETED)
# An order's payments and their proofs' thumbnails, read on every page in production: written
# once as raw SQL, where Piccolo would build the join again per request.
PAYMENTS_SQL = (
    "SELECT "  # noqa: S608 (column names)
    + ", ".join(f'pay."{column._meta.db_column_name}"' for column in PaymentRecord.columns())
    + ', ph.public_id AS "proof.public_id", ph.small_width AS "proof.small_width",'
    ' ph.small_height AS "proof.small_height"'
    ' FROM payment pay LEFT JOIN photo ph ON ph.id = pay.proof WHERE pay."order" = {}'
    " ORDER BY pay.id"
)


def split(total: int, percent: int = DOWN_PAYMENT_PERCENT) -> tuple[int, int]:
    """(down payment, final payment) in whole Rupiah, adding up to `total`."""
    down = total * percent // 100
    return down, total - down


def percent_of(down: int, total: int) -> int:
    """The whole percentage `split` turned into this down payment."""
    if total <= 0:
        return DOWN_PAYMENT_PERCENT
    return -(-100 * down // total)


async def create_payments(order_id: int, total: int) -> None:
    """At assignment, inside its transaction: both payments are due."""
    down, final = split(total)
    await Payment.insert(
        Payment(order=order_id, kind=PaymentKind.DOWN_PAYMENT, pair=f"{order_id}:dp", amount=down),
        Payment(order=order_id, kind=PaymentKind.FINAL, pair=f"{order_id}:final", amount=final),
    )


async def down_payment_confirmed(order_id: int) -> bool:
    row = await (
        Payment.select(Payment.status)
        .where((Payment.order == order_id) & (Payment.kind == PaymentKind.DOWN_PAYMENT))
        .first()
    )
    return row is not None and row["status"] == PaymentStatus.CONFIRMED


def total_of(order: OrderRecord) -> int:
    return int(order.quantity) * int(order.agreed_price_per_piece or 0)


def markable(order: OrderRecord, kind: str) -> bool:
    """May a due payment of this kind be marked paid now? DP while in production; the final
    payment once the order is shipped."""
    if kind == PaymentKind.DOWN_PAYMENT:
        return bool(order.status == OrderStatus.ASSIGNED)
    return order.status in (OrderStatus.ASSIGNED, OrderStatus.COMPLETED) and (
        order.stage in FINAL_PAYMENT_STAGES
    )


def payment_kind(kind: str) -> PaymentKind:
    try:
        return PaymentKind(kind)
    except ValueError:
        raise TrackingError("not_found") from None


async def party_order(public_id: UUID, account_id: int, side: str) -> OrderRecord:
    """The order if this account is one of its parties, on `side`; else a refusal."""
    order = await order_for_party(public_id, account_id)
    if side_of(order, account_id) != side:
        raise TrackingError(f"payment_{side}_only")
    if order.status not in (OrderStatus.ASSIGNED, OrderStatus.COMPLETED):
        raise out_of_production(order)
    return order


async def payment_row(order_id: int, kind: str) -> PaymentRecord:
    row = (
        await Payment.select(*PaymentRecord.columns())
        .where(Payment.pair == f"{order_id}:{kind}")
        .first()
    )
    if row is None:
        raise TrackingError("not_found")
    return PaymentRecord.from_row(row)


def parse_percent(percent: str) -> int:
    """The DP share the designer typed, a whole percentage within PERCENT_RANGE."""
    try:
        value = int(percent.strip())
    except ValueError:
        raise TrackingError("percent_invalid") from None
    if not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
        raise TrackingError("percent_invalid")
    return value


async def change_percent(public_id: UUID, account_id: int, percent: str) -> None:
    """The designer agrees another DP share with the tailor, while nothing is marked paid."""
    value = parse_percent(percent)
    async with transaction():
        order = await party_order(public_id, account_id, "designer")
        if order.status != OrderStatus.ASSIGNED:
            raise out_of_production(order)
        down, final = split(total_of(order), value)
        current = await payment_row(order.id, PaymentKind.DOWN_PAYMENT)
        if current.amount == down and current.status == PaymentStatus.DUE:
            return  # the same share again: nothing changes, nobody is alerted twice
        for kind, amount in ((PaymentKind.DOWN_PAYMENT, down), (PaymentKind.FINAL, final)):
            changed = await (
                Payment.update({Payment.amount: amount})
                .where(
                    (Payment.pair == f"{order.id}:{kind}") & (Payment.status == PaymentStatus.DUE)
                )
                .returning(Payment.id)
            )
            if not changed:
                raise TrackingError("payments_started")
        await touch(order.id)
        await notify(tailor_of(order), AlertKind.ORDER_UPDATE, percent_alert(order, value, down))


async def mark_paid(
    public_id: UUID,
    account_id: int,
    kind: str,
    *,
    image: ProcessedImage | None = None,
    store: MediaStore | None = None,
) -> None:
    """The designer says this payment was transferred, with a transfer-proof photo or not (one
    re-encoded by `checked_photo`: only its row and file are written here)."""
    wanted = payment_kind(kind)
    async with transaction():
        order = await party_order(public_id, account_id, "designer")
        current = await payment_row(order.id, wanted)
        if current.status != PaymentStatus.DUE:
            raise TrackingError("payment_already_marked")
        if not markable(order, wanted):
            raise TrackingError(
                "final_after_shipping" if wanted == PaymentKind.FINAL else "not_in_production"
            )
        marked = await (
            Payment.update({Payment.status: PaymentStatus.PAID, Payment.paid_at: now()})
            .where((Payment.id == current.id) & (Payment.status == PaymentStatus.DUE))
            .returning(Payment.id)
        )
        if not marked:
            raise TrackingError("payment_already_marked")
        if image is not None:
            assert store is not None
            stored = await save_photo(store, account_id, PROOF_PHOTO, image)
            await Payment.update({Payment.proof: stored["id"]}).where(Payment.id == current.id)
        await touch(order.id)
        await notify(tailor_of(order), AlertKind.ORDER_UPDATE, paid_alert(order, current))


async def confirm_received(public_id: UUID, account_id: int, kind: str) -> None:
    """The tailor says the money marked paid arrived."""
    wanted = payment_kind(kind)
    async with transaction():
        order = await party_order(public_id, account_id, "tailor")
        current = await payment_row(order.id, wanted)
        confirmed = await (
            Payment.update({Payment.status: PaymentStatus.CONFIRMED, Payment.confirmed_at: now()})
            .where((Payment.id == current.id) & (Payment.status == PaymentStatus.PAID))
            .returning(Payment.id)
        )
        if not confirmed:
            raise TrackingError(
                "payment_already_confirmed"
                if current.status == PaymentStatus.CONFIRMED
                else "payment_not_marked"
            )
        await touch(order.id)
        await notify(order.designer, AlertKind.ORDER_UPDATE, received_alert(order, current))


def payment_names() -> dict[str, str]:
    return {PaymentKind.DOWN_PAYMENT: _("Down payment (DP)"), PaymentKind.FINAL: _("Final payment")}


def percent_alert(order: OrderRecord, percent: int, down: int) -> Callable[[], Alert]:
    def alert() -> Alert:
        return order_alert(
            order.public_id,
            _("Down payment changed: %(title)s", title=order.title),
            _(
                "The designer set the down payment to %(percent)s%% of the total: %(amount)s.",
                percent=percent,
                amount=i18n.rupiah(down),
            ),
        )

    return alert


def paid_alert(order: OrderRecord, payment: PaymentRecord) -> Callable[[], Alert]:
    def alert() -> Alert:
        amount = i18n.rupiah(payment.amount)
        if payment.kind == PaymentKind.DOWN_PAYMENT:
            body = _(
                "The designer marked the down payment of %(amount)s as paid. "
                "Confirm it once the money arrives.",
                amount=amount,
            )
        else:
            body = _(
                "The designer marked the final payment of %(amount)s as paid. "
                "Confirm it once the money arrives.",
                amount=amount,
            )
        return order_alert(order.public_id, _("Payment sent: %(title)s", title=order.title), body)

    return alert


def received_alert(order: OrderRecord, payment: PaymentRecord) -> Callable[[], Alert]:
    def alert() -> Alert:
        amount = i18n.rupiah(payment.amount)
        if payment.kind == PaymentKind.DOWN_PAYMENT:
            body = _("The tailor confirmed the down payment of %(amount)s arrived.", amount=amount)
        else:
            body = _("The tailor confirmed the final payment of %(amount)s arrived.", amount=amount)
        return order_alert(
            order.public_id, _("Payment received: %(title)s", title=order.title), body
        )

    return alert


class PaymentFigures:
    """A view holding a payment reads its figures through: `line.amount` for templates."""

    payment: PaymentRecord

    @property
    def kind(self) -> PaymentKind:
        return self.payment.kind

    @property
    def amount(self) -> int:
        return self.payment.amount

    @property
    def status(self) -> PaymentStatus:
        return self.payment.status

    @property
    def paid_at(self) -> datetime | None:
        return self.payment.paid_at

    @property
    def confirmed_at(self) -> datetime | None:
        return self.payment.confirmed_at


@dataclass(frozen=True)
class PaymentLine(PaymentFigures):
    """One payment as the order page shows it: its name, proof photo and what this party may
    do with it."""

    payment: PaymentRecord
    name: str
    proof_photo: dict[str, Any] | None
    can_mark: bool
    waits_for_shipping: bool
    can_confirm: bool


@dataclass(frozen=True)
class PaymentState:
    """What the order page shows of the payments, for one party (side None: an admin)."""

    side: str | None
    rows: list[PaymentLine]
    total: int
    percent: int
    percent_range: tuple[int, int]
    down_payment_confirmed: bool
    can_change_percent: bool


async def payments_of(order_id: int) -> list[PaymentRecord]:
    return PaymentRecord.from_rows(
        await Payment.select(*PaymentRecord.columns())
        .where(Payment.order == order_id)
        .order_by(Payment.id)
    )


async def payment_state(order: OrderRecord, side: str | None) -> PaymentState:
    """What the order page shows of the payments, for this party (None: an admin)."""
    # The payments and their proofs' thumbnails in one join (`ui.photo` reads these three).
    return payment_view(order, side, await Payment.raw(PAYMENTS_SQL, order.id))


def payment_view(
    order: OrderRecord, side: str | None, joined: list[dict[str, Any]]
) -> PaymentState:
    """`payment_state` of the rows `PAYMENTS_SQL` reads (by id), as read already."""
    thumbnail = ("public_id", "small_width", "small_height")
    rows = PaymentRecord.from_rows(joined)
    proofs = {
        row["proof"]: {name: row[f"proof.{name}"] for name in thumbnail}
        for row in joined
        if row["proof"] is not None
    }
    by_kind = {row.kind: row for row in rows}
    down = by_kind.get(PaymentKind.DOWN_PAYMENT)
    total = total_of(order)
    names = payment_names()
    open_order = order.status in (OrderStatus.ASSIGNED, OrderStatus.COMPLETED)
    lines = [
        PaymentLine(
            payment=row,
            name=names[row.kind],
            proof_photo=proofs.get(row.proof) if row.proof else None,
            can_mark=side == "designer"
            and row.status == PaymentStatus.DUE
            and markable(order, row.kind),
            waits_for_shipping=row.kind == PaymentKind.FINAL
            and row.status == PaymentStatus.DUE
            and not markable(order, row.kind),
            can_confirm=side == "tailor" and open_order and row.status == PaymentStatus.PAID,
        )
        for row in rows
    ]
    return PaymentState(
        side=side,
        rows=lines,
        total=total,
        percent=percent_of(down.amount, total) if down else DOWN_PAYMENT_PERCENT,
        percent_range=PERCENT_RANGE,
        down_payment_confirmed=down is not None and down.status == PaymentStatus.CONFIRMED,
        can_change_percent=side == "designer"
        and order.status == OrderStatus.ASSIGNED
        and all(row.status == PaymentStatus.DUE for row in rows),
    )


@access_rule(PROOF_PHOTO)
async def proof_is_for_parties(viewer: CurrentUser | None, photo_id: int) -> bool:
    """A transfer proof: the order's designer and tailor (owner and admins are let in before)."""
    if viewer is None:
        return False
    return bool(
        await Order.exists().where(
            Order.id.is_in(Payment.select(Payment.order).where(Payment.proof == photo_id))
            & ((Order.designer == viewer.account_id) | (Order.assigned_tailor == viewer.account_id))
        )
    )
