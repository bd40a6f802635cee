"""Write the demo orders the way the order and dispatch services leave them, with their
history's dates: published and dispatched on their day, then offered on, taken or expired."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import h3

from server.clock import now
from server.db import transaction
from server.demo_data.order_plan import OrderPlan
from server.demo_data.plan import at, known_city
from server.notifications.kinds import AlertKind
from server.notifications.services import notify
from server.notifications.tables import Notification
from server.orders import alerts as order_alerts
from server.orders.dispatching.waves import DispatchSettings, dispatch_next_wave
from server.orders.offers import services as orders
from server.orders.production.services import start_production
from server.orders.production.stages import SCHEDULE, Stage, stages_of
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from server.tailors.services import H3_RESOLUTION

DISPATCH = DispatchSettings()
READ_AFTER = timedelta(days=2)  # older alerts have been opened by now


async def ensure_orders(plans: Sequence[OrderPlan], ids: dict[str, int], today: date) -> int:
    """Write each planned order that is not there yet, with its history; how many were new."""
    planned = [plan.public_id for plan in plans]
    rows = await Order.select(Order.public_id).where(Order.public_id.is_in(planned))
    present = {row["public_id"] for row in rows}
    new = [
        plan
        for plan in plans
        if plan.public_id not in present
        and {plan.designer, *(offer.tailor for offer in plan.offers)} <= ids.keys()
        and (plan.tailor is None or plan.tailor in ids)
    ]
    for plan in new:
        async with transaction():
            await write_order(plan, ids)
    if new:
        cutoff = at(today, 0) - READ_AFTER
        await Notification.update({Notification.read_at: cutoff}).where(
            Notification.url.is_in([f"/orders/{plan.public_id}" for plan in new])
            & (Notification.created_at < cutoff)
            & Notification.read_at.is_null()
        )
    return len(new)


async def write_order(plan: OrderPlan, ids: dict[str, int]) -> None:
    """Published and dispatched as of its date, then offered on, taken or left to expire."""
    city = known_city(plan.city_code)
    idea = plan.idea
    rows = await Order.insert(
        Order(
            public_id=plan.public_id,
            designer=ids[plan.designer],
            category=idea.category,
            title=idea.title,
            description=idea.description,
            quantity=idea.quantity,
            sizes=json.dumps({**dict(plan.sizes), "custom": ""}),
            fabric_by=idea.fabric_by,
            budget_per_piece=idea.budget_per_piece,
            deadline=plan.deadline,
            sample_first=idea.sample_first,
            province_code=city.province_code,
            city_code=city.code,
            latitude=city.latitude,
            longitude=city.longitude,
            h3_cell=h3.latlng_to_cell(city.latitude, city.longitude, H3_RESOLUTION),
            mode=idea.mode,
            status=OrderStatus.OPEN,
            created_at=plan.published_at,
            published_at=plan.published_at,
            updated_at=plan.published_at,
        )
    ).returning(Order.id)
    order_id = rows[0]["id"]
    # The first wave only: an open order nobody answered is due for the next one, which the
    # running worker sends (a demo where dispatch widens live, and a quick load).
    await dispatch_next_wave(order_id, DISPATCH, plan.published_at)
    order = await orders.open_order(plan.public_id)
    await write_offers(plan, order, ids)
    if plan.status == OrderStatus.ASSIGNED:
        await write_assignment(plan, order, ids)
    elif plan.status == OrderStatus.EXPIRED:
        await Order.update({Order.status: OrderStatus.EXPIRED, Order.next_wave_at: None}).where(
            Order.id == order_id
        )
    elif plan.offers:  # a live offer stops the waves
        await Order.update({Order.next_wave_at: None}).where(Order.id == order_id)


async def write_offers(plan: OrderPlan, order: dict[str, Any], ids: dict[str, int]) -> None:
    for offer in plan.offers:
        tailor = ids[offer.tailor]
        await Offer.insert(
            Offer(
                public_id=uuid.uuid5(plan.public_id, offer.tailor),
                order=order["id"],
                tailor=tailor,
                pair=f"{order['id']}:{tailor}",
                price_per_piece=offer.price_per_piece,
                ready_by=offer.ready_by,
                note=offer.note,
                status=offer.status,
                created_at=offer.created_at,
                updated_at=plan.assigned_at or offer.created_at,
            )
        )
        form = orders.OfferForm(offer.price_per_piece, offer.ready_by, offer.note)
        alert = order_alerts.new_offer_alert(order, form)
        await notify(order["designer"], AlertKind.OFFER, alert, at=offer.created_at)


async def write_assignment(plan: OrderPlan, order: dict[str, Any], ids: dict[str, int]) -> None:
    assert plan.tailor is not None and plan.assigned_at is not None
    accepted = [offer for offer in plan.offers if offer.status == OfferStatus.ACCEPTED]
    price = accepted[0].price_per_piece if accepted else order["budget_per_piece"]
    await Order.update(
        {
            Order.status: OrderStatus.ASSIGNED,
            Order.assigned_tailor: ids[plan.tailor],
            Order.agreed_price_per_piece: price,
            Order.agreed_ready_by: accepted[0].ready_by if accepted else plan.deadline,
            Order.assigned_at: plan.assigned_at,
            Order.next_wave_at: None,
            Order.updated_at: plan.assigned_at,
        }
    ).where(Order.id == order["id"])
    await start_production(order["id"])
    await show_progress(order["id"])
    title, public_id, moment = order["title"], order["public_id"], plan.assigned_at
    if not accepted:
        await notify(
            order["designer"],
            AlertKind.OFFER,
            order_alerts.taken_alert(title, public_id),
            at=moment,
        )
        return
    for offer in plan.offers:
        alert = (
            order_alerts.accepted_alert(title, public_id)
            if offer.status == OfferStatus.ACCEPTED
            else order_alerts.declined_alert(title, public_id)
        )
        await notify(ids[offer.tailor], AlertKind.OFFER, alert, at=moment)


async def show_progress(order_id: int) -> None:
    """Move an assigned demo order along as far as its schedule says it should be by now, with
    the events dated when they were expected: the timeline a demo designer opens."""
    order = await Order.select().where(Order.id == order_id).first()
    assert order is not None
    start = order["assigned_at"]
    await OrderEvent.update({OrderEvent.created_at: start}).where(OrderEvent.order == order_id)
    ready_by = datetime.combine(order["agreed_ready_by"], time(9), tzinfo=UTC)
    span = ready_by - start
    until = now()
    for stage in stages_of(order["sample_first"])[1:]:
        if stage in (Stage.SHIPPED, Stage.COMPLETED):
            break
        moment = start + span * SCHEDULE[stage]
        if moment > until:
            break
        await OrderEvent.insert(
            OrderEvent(order=order_id, kind=stage, actor=None, created_at=moment)
        )
        await Order.update({Order.stage: stage}).where(Order.id == order_id)
        if stage == Stage.CUTTING:
            await Payment.update(
                {
                    Payment.status: PaymentStatus.CONFIRMED,
                    Payment.paid_at: moment,
                    Payment.confirmed_at: moment,
                }
            ).where((Payment.order == order_id) & (Payment.kind == PaymentKind.DOWN_PAYMENT))
