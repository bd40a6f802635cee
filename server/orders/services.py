"""Orders from publishing to assignment: offers, taking a Langsung order, accepting an offer.

Race-critical changes are conditional UPDATEs (`... WHERE status = 'open' RETURNING`): taking
is one; every offer change first holds the open order's row that way (hold_open_order), so
exactly one wins on SQLite and PostgreSQL alike, on the terms its sender read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import h3
from piccolo.columns.combination import Combinable

from server import regions
from server.clock import now
from server.db import transaction
from server.dispatch.services import DispatchSettings, dispatch_next_wave, resume_waves
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
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
from server.orders.forms import (
    OrderError,
    OrderForm,
    check_total,
    form_date,
    latest_date,
    price_per_piece,
)
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
from server.text import typed_text
from server.tracking.production import start_production

PHOTO_MAX = 4
NOTE_MAX = 500
HELD_COLUMNS = (
    Order.id,
    Order.public_id,
    Order.designer,
    Order.title,
    Order.mode,
    Order.quantity,
    Order.budget_per_piece,
    Order.deadline,
    Order.sample_first,
    Order.revision,
)


@dataclass(frozen=True)
class OfferForm:
    price_per_piece: int
    ready_by: date
    note: str


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
            await notify(
                offer["tailor"], AlertKind.OFFER, cancelled_alert(order["title"], public_id)
            )


async def hold_open_order(where: Combinable) -> dict[str, Any] | None:
    """The open order's row, held until the transaction ends, so every offer and assignment
    change on one order takes its turn: on SQLite the write lock, on PostgreSQL the row lock
    of this conditional UPDATE (it waits for a concurrent one, then re-checks the row it finds,
    so a change committed meanwhile is seen)."""
    rows = await (
        Order.update({Order.status: OrderStatus.OPEN})
        .where(where & (Order.status == OrderStatus.OPEN))
        .returning(*HELD_COLUMNS)
    )
    return dict(rows[0]) if rows else None


async def hold_offers_order(designer_id: int, offer_public_id: UUID) -> dict[str, Any]:
    """The designer's open order this offer answers, held (see hold_open_order)."""
    offer = await Offer.select(Offer.order).where(Offer.public_id == offer_public_id).first()
    if offer is None:
        raise OrderError("offer_gone")
    order = await hold_open_order((Order.id == offer["order"]) & (Order.designer == designer_id))
    if order is None:
        raise OrderError("not_open")
    return order


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


async def decline_offer(designer_id: int, offer_public_id: UUID) -> None:
    async with transaction():
        order = await hold_offers_order(designer_id, offer_public_id)
        rows = await (
            Offer.update({Offer.status: OfferStatus.DECLINED, Offer.updated_at: now()})
            .where((Offer.public_id == offer_public_id) & (Offer.status == OfferStatus.LIVE))
            .returning(Offer.tailor)
        )
        if not rows:
            raise OrderError("offer_gone")
        await resume_waves(order["id"])
        await notify(
            rows[0]["tailor"], AlertKind.OFFER, declined_alert(order["title"], order["public_id"])
        )


# Tailors ------------------------------------------------------------------------------------------


def parse_offer(data: dict[str, Any], order: dict[str, Any], today: date) -> OfferForm:
    price = price_per_piece(data.get("price_per_piece"), "price_per_piece")
    check_total(order["quantity"], price, "price_per_piece")
    ready_by = form_date(data.get("ready_by"), "ready_by")
    if ready_by < today:
        raise OrderError("ready_in_past", "ready_by")
    if ready_by > order["deadline"]:
        raise OrderError("after_deadline", "ready_by")
    if ready_by > latest_date(today):
        raise OrderError("ready_too_far", "ready_by")
    note = typed_text(data.get("note"))
    if len(note) > NOTE_MAX:
        raise OrderError("too_long", "note")
    return OfferForm(price_per_piece=price, ready_by=ready_by, note=note)


async def open_order(public_id: UUID) -> dict[str, Any]:
    row: dict[str, Any] | None = await Order.select().where(Order.public_id == public_id).first()
    if row is None:
        raise OrderError("not_found")
    return row


async def make_offer(tailor_id: int, order_public_id: UUID, form: OfferForm) -> bool:
    """One live offer per tailor and order: a change makes a new version of it, keeping the
    figures it replaced; the same offer sent twice (a double tap) changes nothing. True when
    the designer has something new to read."""
    await ensure_may_answer(tailor_id, order_public_id)
    async with transaction():
        order = await hold_open_order(Order.public_id == order_public_id)
        if order is None:
            await open_order(order_public_id)  # "not_found" when there is no such order
            raise OrderError("taken")
        if order["mode"] != OrderMode.BIDDING:
            raise OrderError("direct_mode")
        pair = f"{order['id']}:{tailor_id}"
        created = await (
            Offer.insert(
                Offer(
                    order=order["id"],
                    tailor=tailor_id,
                    pair=pair,
                    price_per_piece=form.price_per_piece,
                    ready_by=form.ready_by,
                    note=form.note,
                )
            )
            .on_conflict(target=Offer.pair, action="DO NOTHING")
            .returning(Offer.id)
        )
        if not created and not await revise_offer(pair, form):
            return False
        await notify(order["designer"], AlertKind.OFFER, new_offer_alert(order, form))
    return True


async def revise_offer(pair: str, form: OfferForm) -> bool:
    """The tailor's existing offer becomes this one, as its next version: a live offer keeps
    the figures it replaced (the designer sees "changed"), a withdrawn or declined one starts
    afresh. False when the live offer already says exactly this."""
    offer = await Offer.select().where(Offer.pair == pair).first()
    assert offer is not None
    live = offer["status"] == OfferStatus.LIVE
    sent = (form.price_per_piece, form.ready_by, form.note)
    if live and (offer["price_per_piece"], offer["ready_by"], offer["note"]) == sent:
        return False
    rows = await (
        Offer.update(
            {
                Offer.price_per_piece: form.price_per_piece,
                Offer.ready_by: form.ready_by,
                Offer.note: form.note,
                Offer.status: OfferStatus.LIVE,
                Offer.version: Offer.version + 1,
                Offer.previous_price_per_piece: offer["price_per_piece"] if live else None,
                Offer.previous_ready_by: offer["ready_by"] if live else None,
                Offer.updated_at: now(),
            }
        )
        .where((Offer.id == offer["id"]) & (Offer.version == offer["version"]))
        .returning(Offer.id)
    )
    return bool(rows)


async def withdraw_offer(tailor_id: int, order_public_id: UUID) -> None:
    async with transaction():
        order = await hold_open_order(Order.public_id == order_public_id)
        if order is None:
            await open_order(order_public_id)
            raise OrderError("not_open")
        rows = await (
            Offer.update({Offer.status: OfferStatus.WITHDRAWN, Offer.updated_at: now()})
            .where(
                (Offer.pair == f"{order['id']}:{tailor_id}") & (Offer.status == OfferStatus.LIVE)
            )
            .returning(Offer.id)
        )
        if not rows:
            raise OrderError("offer_gone")
        await resume_waves(order["id"])


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
