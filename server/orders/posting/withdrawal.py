"""Taking a suspended designer's open orders off the market: nobody can answer them any more,
and every tailor who was alerted or offered hears so."""

from __future__ import annotations

from server.notifications.kinds import AlertKind
from server.notifications.services import notify
from server.orders.alerts import withdrawn_alert
from server.orders.tables import DispatchDecision, Offer, OfferStatus, Order, OrderStatus


async def withdraw_open_orders(designer_id: int) -> list[int]:
    """Cancel the designer's open orders (run inside the suspension's transaction); assigned
    work is left to finish or be disputed. Returns the withdrawn orders' ids."""
    orders = await (
        Order.update({Order.status: OrderStatus.CANCELLED, Order.next_wave_at: None})
        .where((Order.designer == designer_id) & (Order.status == OrderStatus.OPEN))
        .returning(Order.id, Order.public_id, Order.title)
    )
    if not orders:
        return []
    ids = [order["id"] for order in orders]
    told: dict[int, set[int]] = {order_id: set() for order_id in ids}
    for row in await Offer.select(Offer.order, Offer.tailor).where(
        Offer.order.is_in(ids) & (Offer.status == OfferStatus.LIVE)
    ):
        told[row["order"]].add(row["tailor"])
    for row in await DispatchDecision.select(DispatchDecision.order, DispatchDecision.tailor).where(
        DispatchDecision.order.is_in(ids) & (DispatchDecision.outcome == "alerted")
    ):
        told[row["order"]].add(row["tailor"])
    await Offer.update({Offer.status: OfferStatus.DECLINED}).where(
        Offer.order.is_in(ids) & (Offer.status == OfferStatus.LIVE)
    )
    for order in orders:
        for tailor_id in sorted(told[order["id"]]):
            await notify(
                tailor_id, AlertKind.OFFER, withdrawn_alert(order["title"], order["public_id"])
            )
    return ids
