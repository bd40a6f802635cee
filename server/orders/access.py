"""Which tailors may open an order (its page, its photos) and answer it (offer, take): the
dispatch rules, so nobody reaches by URL an order their feed would not show them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from server.orders.dispatching.candidates import refusal
from server.orders.records import OrderRecord
from server.orders.refusals import Ineligible, OrderError
from server.orders.tables import Offer, Order
from server.web.i18n import local_today


async def involved(tailor_id: int, order: OrderRecord, *, offered: bool | None = None) -> bool:
    """Assigned to it, or offered on it once: their own history stays theirs to read
    (`offered`: whether they have an offer on it, when the caller has read that already)."""
    if order.assigned_tailor == tailor_id:
        return True
    if offered is None:
        offered = bool(await Offer.exists().where(Offer.pair == f"{order.id}:{tailor_id}"))
    return offered


async def may_open(
    tailor_id: int, order: OrderRecord, today: date, *, offered: bool | None = None
) -> bool:
    if await involved(tailor_id, order, offered=offered):
        return True
    return await refusal(tailor_id, order, today, reading=True) is None


async def ensure_may_answer(tailor_id: int, order_public_id: UUID) -> None:
    """Raises Ineligible naming the first dispatch rule this tailor fails for this order."""
    row = (
        await Order.select(*OrderRecord.columns()).where(Order.public_id == order_public_id).first()
    )
    if row is None:
        raise OrderError("not_found")
    rule = await refusal(tailor_id, OrderRecord.from_row(row), local_today())
    if rule is not None:
        raise Ineligible(rule)
