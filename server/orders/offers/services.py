"""Orders from publishing to assignment: offers, taking a Langsung order, accepting an offer.

Race-critical changes are conditional UPDATEs (`... WHERE status = 'open' RETURNING`): taking
is one; every offer change first holds the open order's row that way (hold_open_order), so
exactly one wins on SQLite and PostgreSQL alike, on the terms its sender read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from piccolo.columns.combination import Combinable

from server.clock import now
from server.db import transaction
from server.notifications.kinds import AlertKind
from server.notifications.services import notify
from server.orders.access import ensure_may_answer
from server.orders.alerts import (
    declined_alert,
    new_offer_alert,
)
from server.orders.dispatching.waves import resume_waves
from server.orders.posting.forms import (
    OrderError,
    check_total,
    form_date,
    latest_date,
    price_per_piece,
)
from server.orders.records import OfferRecord, OrderRecord
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderMode,
    OrderStatus,
)
from server.text import typed_text
from server.web.forms import FormFields

NOTE_MAX = 500


@dataclass(frozen=True)
class OfferForm:
    price_per_piece: int
    ready_by: date
    note: str


# Designers --------------------------------------------------------------------------------------


async def hold_open_order(where: Combinable) -> OrderRecord | None:
    """The open order's row, held until the transaction ends, so every offer and assignment
    change on one order takes its turn: on SQLite the write lock, on PostgreSQL the row lock
    of this conditional UPDATE (it waits for a concurrent one, then re-checks the row it finds,
    so a change committed meanwhile is seen)."""
    rows = await (
        Order.update({Order.status: OrderStatus.OPEN})
        .where(where & (Order.status == OrderStatus.OPEN))
        .returning(*OrderRecord.columns())
    )
    return OrderRecord.from_row(rows[0]) if rows else None


async def hold_offers_order(designer_id: int, offer_public_id: UUID) -> OrderRecord:
    """The designer's open order this offer answers, held (see hold_open_order)."""
    offer = await Offer.select(Offer.order).where(Offer.public_id == offer_public_id).first()
    if offer is None:
        raise OrderError("offer_gone")
    order = await hold_open_order((Order.id == offer["order"]) & (Order.designer == designer_id))
    if order is None:
        raise OrderError("not_open")
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
        await resume_waves(order.id)
        await notify(
            rows[0]["tailor"], AlertKind.OFFER, declined_alert(order.title, order.public_id)
        )


# Tailors ------------------------------------------------------------------------------------------


def parse_offer(data: FormFields, order: OrderRecord, today: date) -> OfferForm:
    price = price_per_piece(data.get("price_per_piece"), "price_per_piece")
    check_total(order.quantity, price, "price_per_piece")
    ready_by = form_date(data.get("ready_by"), "ready_by")
    if ready_by < today:
        raise OrderError("ready_in_past", "ready_by")
    if ready_by > order.deadline:
        raise OrderError("after_deadline", "ready_by")
    if ready_by > latest_date(today):
        raise OrderError("ready_too_far", "ready_by")
    note = typed_text(data.get("note"))
    if len(note) > NOTE_MAX:
        raise OrderError("too_long", "note")
    return OfferForm(price_per_piece=price, ready_by=ready_by, note=note)


async def open_order(public_id: UUID) -> OrderRecord:
    """The order with this public id, in any state; OrderError("not_found") when none."""
    row = await Order.select(*OrderRecord.columns()).where(Order.public_id == public_id).first()
    if row is None:
        raise OrderError("not_found")
    return OrderRecord.from_row(row)


def closed_to(tailor_id: int, order: OrderRecord) -> OrderError:
    """Why this tailor's offer can no longer be sent or withdrawn: the order is theirs (their
    offer was accepted meanwhile), another's, or cancelled or expired."""
    if order.status == OrderStatus.ASSIGNED or order.status == OrderStatus.COMPLETED:
        return OrderError("offer_accepted" if order.assigned_tailor == tailor_id else "taken")
    return OrderError("not_open")


async def ensure_still_open(tailor_id: int, order_public_id: UUID) -> None:
    """An order that moved on is refused for what happened to it, before any dispatch rule
    (the tailor who got it may have no capacity left for it)."""
    order = await open_order(order_public_id)
    if order.status != OrderStatus.OPEN:
        raise closed_to(tailor_id, order)


async def make_offer(
    tailor_id: int, order_public_id: UUID, form: OfferForm, seen_revision: int | None = None
) -> bool:
    """One live offer per tailor and order: a change makes a new version of it, keeping the
    figures it replaced; the same offer sent twice (a double tap) changes nothing. True when
    the designer has something new to read. `seen_revision`: the order's revision its sender
    read (an offer queued on a phone without signal); an order edited since is refused."""
    await ensure_may_answer(tailor_id, order_public_id)
    async with transaction():
        order = await hold_open_order(Order.public_id == order_public_id)
        if order is None:
            # "not_found" when there is no such order
            raise closed_to(tailor_id, await open_order(order_public_id))
        if order.mode != OrderMode.BIDDING:
            raise OrderError("direct_mode")
        if seen_revision is not None and seen_revision != order.revision:
            raise OrderError("changed_since_read")
        pair = f"{order.id}:{tailor_id}"
        created = await (
            Offer.insert(
                Offer(
                    order=order.id,
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
        await notify(order.designer, AlertKind.OFFER, new_offer_alert(order, form))
    return True


async def revise_offer(pair: str, form: OfferForm) -> bool:
    """The tailor's existing offer becomes this one, as its next version: a live offer keeps
    the figures it replaced (the designer sees "changed"), a withdrawn or declined one starts
    afresh. False when the live offer already says exactly this."""
    row = await Offer.select(*OfferRecord.columns()).where(Offer.pair == pair).first()
    assert row is not None
    offer = OfferRecord.from_row(row)
    live = offer.status == OfferStatus.LIVE
    sent = (form.price_per_piece, form.ready_by, form.note)
    if live and (offer.price_per_piece, offer.ready_by, offer.note) == sent:
        return False
    rows = await (
        Offer.update(
            {
                Offer.price_per_piece: form.price_per_piece,
                Offer.ready_by: form.ready_by,
                Offer.note: form.note,
                Offer.status: OfferStatus.LIVE,
                Offer.version: Offer.version + 1,
                Offer.previous_price_per_piece: offer.price_per_piece if live else None,
                Offer.previous_ready_by: offer.ready_by if live else None,
                Offer.updated_at: now(),
            }
        )
        .where((Offer.id == offer.id) & (Offer.version == offer.version))
        .returning(Offer.id)
    )
    return bool(rows)


async def withdraw_offer(tailor_id: int, order_public_id: UUID) -> None:
    async with transaction():
        order = await hold_open_order(Order.public_id == order_public_id)
        if order is None:
            raise closed_to(tailor_id, await open_order(order_public_id))
        rows = await (
            Offer.update({Offer.status: OfferStatus.WITHDRAWN, Offer.updated_at: now()})
            .where((Offer.pair == f"{order.id}:{tailor_id}") & (Offer.status == OfferStatus.LIVE))
            .returning(Offer.id)
        )
        if not rows:
            raise OrderError("offer_gone")
        await resume_waves(order.id)
