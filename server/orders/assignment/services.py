"""Assignment: the order gets its tailor, by the designer accepting an offer (Penawaran) or by
the first eligible tailor taking it (Langsung). Both are one conditional UPDATE on the open
order, so exactly one wins on SQLite and PostgreSQL alike; production starts in the same
transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from server.clock import now
from server.db import transaction
from server.notifications.kinds import AlertKind
from server.notifications.services import notify
from server.orders.access import ensure_may_answer
from server.orders.alerts import (
    accepted_alert,
    declined_alert,
    taken_alert,
)
from server.orders.offers.services import hold_offers_order, open_order
from server.orders.posting.forms import (
    OrderError,
)
from server.orders.production.services import start_production
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderMode,
    OrderStatus,
)


async def accept_offer(
    designer_id: int, offer_public_id: UUID, seen_version: int | None = None
) -> dict[str, Any]:
    """Assign the order to this offer's tailor at the terms the designer saw (`seen_version`):
    exactly one acceptance wins, and an offer changed since it was read is refused."""
    async with transaction():
        order = await hold_offers_order(designer_id, offer_public_id)
        live = (Offer.public_id == offer_public_id) & (Offer.status == OfferStatus.LIVE)
        seen = live if seen_version is None else live & (Offer.version == seen_version)
        rows = await (
            Offer.update({Offer.status: OfferStatus.ACCEPTED, Offer.updated_at: now()})
            .where(seen)
            .returning(Offer.tailor, Offer.price_per_piece, Offer.ready_by)
        )
        if not rows:
            raise OrderError("offer_changed" if await Offer.exists().where(live) else "offer_gone")
        chosen = rows[0]
        await Order.update(
            {
                Order.status: OrderStatus.ASSIGNED,
                Order.assigned_tailor: chosen["tailor"],
                Order.agreed_price_per_piece: chosen["price_per_piece"],
                Order.agreed_ready_by: chosen["ready_by"],
                Order.assigned_at: now(),
                Order.next_wave_at: None,
            }
        ).where(Order.id == order["id"])
        await start_production(order["id"])
        others = await (
            Offer.update({Offer.status: OfferStatus.DECLINED, Offer.updated_at: now()})
            .where((Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE))
            .returning(Offer.tailor)
        )
        await notify(
            chosen["tailor"], AlertKind.OFFER, accepted_alert(order["title"], order["public_id"])
        )
        for other in others:
            await notify(
                other["tailor"], AlertKind.OFFER, declined_alert(order["title"], order["public_id"])
            )
    return order


async def take(
    tailor_id: int, order_public_id: UUID, seen_revision: int | None = None
) -> dict[str, Any]:
    """Langsung: the first eligible tailor to tap gets it, on the terms of the order's revision
    they saw (`seen_revision`); the others hear it is taken, or that the terms changed."""
    await ensure_may_answer(tailor_id, order_public_id)
    where = (
        (Order.public_id == order_public_id)
        & (Order.status == OrderStatus.OPEN)
        & (Order.mode == OrderMode.DIRECT)
        & (Order.designer != tailor_id)
    )
    if seen_revision is not None:
        where = where & (Order.revision == seen_revision)
    async with transaction():
        rows = await (
            Order.update(
                {
                    Order.status: OrderStatus.ASSIGNED,
                    Order.assigned_tailor: tailor_id,
                    Order.agreed_price_per_piece: Order.budget_per_piece,
                    Order.agreed_ready_by: Order.deadline,
                    Order.assigned_at: now(),
                    Order.next_wave_at: None,
                }
            )
            .where(where)
            .returning(Order.id, Order.designer, Order.title, Order.public_id)
        )
        if not rows:
            order = await open_order(order_public_id)
            if order["status"] != OrderStatus.OPEN:
                raise OrderError("taken")
            raise OrderError(
                "bidding_mode" if order["mode"] != OrderMode.DIRECT else "terms_changed"
            )
        order = rows[0]
        await start_production(order["id"])
        await notify(
            order["designer"], AlertKind.OFFER, taken_alert(order["title"], order["public_id"])
        )
    return dict(order)
