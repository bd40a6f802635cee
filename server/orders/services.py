"""Orders from publishing to assignment: offers, taking a Langsung order, accepting an offer.

Race-critical changes are single conditional UPDATEs (`... WHERE status = 'open' RETURNING`),
so exactly one wins on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import h3

from server import regions
from server.db import transaction
from server.dispatch.services import DispatchSettings, dispatch_next_wave
from server.media.tables import Photo
from server.notifications.services import notify
from server.orders.access import ensure_may_answer
from server.orders.alerts import (
    accepted_alert,
    cancelled_alert,
    declined_alert,
    new_offer_alert,
    taken_alert,
)
from server.orders.drafts import draft_fields
from server.orders.forms import OrderError, OrderForm, whole_number
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderDraft,
    OrderMode,
    OrderPhoto,
    OrderStatus,
)
from server.tailors.services import H3_RESOLUTION
from server.tracking.production import start_production

PHOTO_MAX = 4
NOTE_MAX = 500


@dataclass(frozen=True)
class OfferForm:
    price_per_piece: int
    ready_by: date
    note: str


def now() -> datetime:
    return datetime.now(UTC)


# Designers --------------------------------------------------------------------------------------


async def save_draft(designer_id: int, data: dict[str, Any], draft_id: UUID | None) -> UUID:
    fields = draft_fields(data)
    if draft_id is not None:
        rows = await (
            OrderDraft.update({OrderDraft.data: json.dumps(fields), OrderDraft.updated_at: now()})
            .where((OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id))
            .returning(OrderDraft.public_id)
        )
        if rows:
            return UUID(str(rows[0]["public_id"]))
    rows = await OrderDraft.insert(
        OrderDraft(designer=designer_id, data=json.dumps(fields))
    ).returning(OrderDraft.public_id)
    return UUID(str(rows[0]["public_id"]))


async def draft_data(designer_id: int, draft_id: UUID) -> dict[str, Any] | None:
    row = (
        await OrderDraft.select(OrderDraft.data)
        .where((OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id))
        .first()
    )
    if row is None:
        return None
    data = row["data"]
    loaded: dict[str, Any] = json.loads(data) if isinstance(data, str) else data
    return loaded


async def publish(
    designer_id: int,
    form: OrderForm,
    photo_ids: list[int],
    draft_id: UUID | None = None,
    dispatch: DispatchSettings | None = None,
) -> dict[str, Any]:
    """The order opens and its first wave of alerts goes out, in one transaction."""
    city = regions.city(form.city_code)
    assert city is not None
    async with transaction():
        rows = await Order.insert(
            Order(
                designer=designer_id,
                category=form.category,
                title=form.title,
                description=form.description,
                quantity=form.quantity,
                sizes=json.dumps({**form.sizes, "custom": form.custom_sizes}),
                fabric_by=form.fabric_by,
                budget_per_piece=form.budget_per_piece,
                deadline=form.deadline,
                sample_first=form.sample_first,
                province_code=city.province_code,
                city_code=city.code,
                latitude=city.latitude,
                longitude=city.longitude,
                h3_cell=h3.latlng_to_cell(city.latitude, city.longitude, H3_RESOLUTION),
                mode=form.mode,
                status=OrderStatus.OPEN,
                published_at=now(),
            )
        ).returning(Order.id, Order.public_id)
        order = rows[0]
        for photo_id in photo_ids[:PHOTO_MAX]:
            await OrderPhoto.insert(OrderPhoto(order=order["id"], photo=photo_id))
        if draft_id is not None:
            await OrderDraft.delete().where(
                (OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id)
            )
        await dispatch_next_wave(order["id"], dispatch)
    return dict(order)


async def designer_order(designer_id: int, public_id: UUID) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Order.select()
        .where((Order.public_id == public_id) & (Order.designer == designer_id))
        .first()
    )
    return row


async def cancel(designer_id: int, public_id: UUID, reason: str) -> None:
    """Only while nobody is assigned; every tailor with a live offer is told."""
    async with transaction():
        rows = await (
            Order.update(
                {
                    Order.status: OrderStatus.CANCELLED,
                    Order.next_wave_at: None,
                    Order.cancel_reason: reason,
                }
            )
            .where(
                (Order.public_id == public_id)
                & (Order.designer == designer_id)
                & (Order.status == OrderStatus.OPEN)
            )
            .returning(Order.id, Order.title)
        )
        if not rows:
            raise OrderError("not_open")
        order = rows[0]
        offers = await Offer.select(Offer.tailor).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        await Offer.update({Offer.status: OfferStatus.DECLINED}).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        for offer in offers:
            await notify(offer["tailor"], "offer", cancelled_alert(order["title"], public_id))


async def accept_offer(designer_id: int, offer_public_id: UUID) -> dict[str, Any]:
    """Assign the order to this offer's tailor: exactly one acceptance wins."""
    async with transaction():
        offer = (
            await Offer.select(
                Offer.id,
                Offer.order,
                Offer.tailor,
                Offer.price_per_piece,
                Offer.ready_by,
                Offer.status,
            )
            .where(Offer.public_id == offer_public_id)
            .first()
        )
        if offer is None or offer["status"] != OfferStatus.LIVE:
            raise OrderError("offer_gone")
        rows = await (
            Order.update(
                {
                    Order.status: OrderStatus.ASSIGNED,
                    Order.assigned_tailor: offer["tailor"],
                    Order.agreed_price_per_piece: offer["price_per_piece"],
                    Order.agreed_ready_by: offer["ready_by"],
                    Order.assigned_at: now(),
                    Order.next_wave_at: None,
                }
            )
            .where(
                (Order.id == offer["order"])
                & (Order.designer == designer_id)
                & (Order.status == OrderStatus.OPEN)
            )
            .returning(Order.id, Order.public_id, Order.title)
        )
        if not rows:
            raise OrderError("not_open")
        order = rows[0]
        await start_production(order["id"])
        await Offer.update({Offer.status: OfferStatus.ACCEPTED}).where(Offer.id == offer["id"])
        others = await Offer.select(Offer.tailor).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        await Offer.update({Offer.status: OfferStatus.DECLINED}).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        await notify(offer["tailor"], "offer", accepted_alert(order["title"], order["public_id"]))
        for other in others:
            await notify(
                other["tailor"], "offer", declined_alert(order["title"], order["public_id"])
            )
    return dict(order)


async def decline_offer(designer_id: int, offer_public_id: UUID) -> None:
    async with transaction():
        rows = await (
            Offer.update({Offer.status: OfferStatus.DECLINED, Offer.updated_at: now()})
            .where(
                (Offer.public_id == offer_public_id)
                & (Offer.status == OfferStatus.LIVE)
                & Offer.order.is_in(Order.select(Order.id).where(Order.designer == designer_id))
            )
            .returning(Offer.tailor, Offer.order)
        )
        if not rows:
            raise OrderError("offer_gone")
        order = (
            await Order.select(Order.title, Order.public_id)
            .where(Order.id == rows[0]["order"])
            .first()
        )
        assert order is not None
        await notify(rows[0]["tailor"], "offer", declined_alert(order["title"], order["public_id"]))


# Tailors ------------------------------------------------------------------------------------------


def parse_offer(data: dict[str, Any], order: dict[str, Any], today: date) -> OfferForm:
    price = whole_number(data.get("price_per_piece"), "price_per_piece", 1_000, 100_000_000)
    try:
        ready_by = date.fromisoformat(str(data.get("ready_by", "")))
    except ValueError:
        raise OrderError("bad_date", "ready_by") from None
    if ready_by < today:
        raise OrderError("ready_in_past", "ready_by")
    if ready_by > order["deadline"]:
        raise OrderError("after_deadline", "ready_by")
    note = str(data.get("note", "")).strip()
    if len(note) > NOTE_MAX:
        raise OrderError("too_long", "note")
    return OfferForm(price_per_piece=price, ready_by=ready_by, note=note)


async def open_order(public_id: UUID) -> dict[str, Any]:
    row: dict[str, Any] | None = await Order.select().where(Order.public_id == public_id).first()
    if row is None:
        raise OrderError("not_found")
    return row


async def make_offer(tailor_id: int, order_public_id: UUID, form: OfferForm) -> None:
    """One live offer per tailor and order: a second one replaces the first."""
    await ensure_may_answer(tailor_id, order_public_id)
    async with transaction():
        order = await open_order(order_public_id)
        if order["status"] != OrderStatus.OPEN:
            raise OrderError("taken")
        if order["mode"] != OrderMode.BIDDING:
            raise OrderError("direct_mode")
        pair = f"{order['id']}:{tailor_id}"
        values: dict[Any, Any] = {
            Offer.price_per_piece: form.price_per_piece,
            Offer.ready_by: form.ready_by,
            Offer.note: form.note,
            Offer.status: OfferStatus.LIVE,
            Offer.updated_at: now(),
        }
        updated = await Offer.update(values).where(Offer.pair == pair).returning(Offer.id)
        if not updated:
            await Offer.insert(
                Offer(
                    order=order["id"],
                    tailor=tailor_id,
                    pair=pair,
                    price_per_piece=form.price_per_piece,
                    ready_by=form.ready_by,
                    note=form.note,
                )
            )
        await notify(order["designer"], "offer", new_offer_alert(order, form))


async def withdraw_offer(tailor_id: int, order_public_id: UUID) -> None:
    order = await open_order(order_public_id)
    rows = await (
        Offer.update({Offer.status: OfferStatus.WITHDRAWN, Offer.updated_at: now()})
        .where((Offer.pair == f"{order['id']}:{tailor_id}") & (Offer.status == OfferStatus.LIVE))
        .returning(Offer.id)
    )
    if not rows:
        raise OrderError("offer_gone")


async def take(tailor_id: int, order_public_id: UUID) -> dict[str, Any]:
    """Langsung: the first eligible tailor to tap gets it; everyone else hears it is taken."""
    await ensure_may_answer(tailor_id, order_public_id)
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
            .where(
                (Order.public_id == order_public_id)
                & (Order.status == OrderStatus.OPEN)
                & (Order.mode == OrderMode.DIRECT)
                & (Order.designer != tailor_id)
            )
            .returning(Order.id, Order.designer, Order.title, Order.public_id)
        )
        if not rows:
            order = await open_order(order_public_id)
            raise OrderError("taken" if order["status"] != OrderStatus.OPEN else "bidding_mode")
        order = rows[0]
        await start_production(order["id"])
        await notify(order["designer"], "offer", taken_alert(order["title"], order["public_id"]))
    return dict(order)


async def expire_orders(today: date) -> list[int]:
    """Open orders whose deadline passed without a tailor: expired (the worker runs this)."""
    rows = await (
        Order.update({Order.status: OrderStatus.EXPIRED, Order.next_wave_at: None})
        .where((Order.status == OrderStatus.OPEN) & (Order.deadline < today))
        .returning(Order.id)
    )
    return [int(row["id"]) for row in rows]


async def order_photos(order_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Photo.select().where(
        Photo.id.is_in(OrderPhoto.select(OrderPhoto.photo).where(OrderPhoto.order == order_id))
    )
    return rows
