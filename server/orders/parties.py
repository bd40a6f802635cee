"""Who takes part in an order after assignment: its designer and its tailor (and admins, who
read everything). Everyone else is told the order does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from server.accounts.tables import Account, Role
from server.orders.records import OrderRecord
from server.orders.refusals import TrackingError
from server.orders.tables import Order, OrderStatus
from server.text import typed_text

IN_PRODUCTION = (OrderStatus.ASSIGNED, OrderStatus.COMPLETED)
NOTE_MAX = 500
REASON_MIN = 5


class Parties(Protocol):
    """Anything that names an order's two parties: an OrderRecord, or a list's own view."""

    @property
    def designer(self) -> int: ...

    @property
    def assigned_tailor(self) -> int | None: ...


@dataclass(frozen=True)
class TailorName:
    """The assigned tailor as the designer's and admins' pages name them."""

    name: str
    public_id: UUID


def out_of_production(order: OrderRecord) -> TrackingError:
    """Why nothing more happens in production: cancelled, or finished."""
    cancelled = order.status == OrderStatus.CANCELLED
    return TrackingError("order_cancelled" if cancelled else "not_in_production")


def side_of(order: Parties, account_id: int) -> str | None:
    """ "designer" | "tailor" | None: which party this account is."""
    if order.designer == account_id:
        return "designer"
    if order.assigned_tailor is not None and order.assigned_tailor == account_id:
        return "tailor"
    return None


async def assigned_tailor(order: Parties) -> TailorName | None:
    """The tailor's name and public id, for the pages the designer and admins read."""
    if order.assigned_tailor is None:
        return None
    # Raw SQL written once: read on every order page and poll of the designer's.
    rows = await Account.raw(
        "SELECT name, public_id FROM account WHERE id = {}", order.assigned_tailor
    )
    return TailorName(name=rows[0]["name"], public_id=rows[0]["public_id"]) if rows else None


def tailor_of(order: Parties) -> int:
    """The tailor of an order read through `assigned_order`, which always has one."""
    assert order.assigned_tailor is not None
    return order.assigned_tailor


def other_party(order: Parties, account_id: int) -> int | None:
    side = side_of(order, account_id)
    if side == "designer":
        return order.assigned_tailor
    if side == "tailor":
        return order.designer
    return None


async def order_by_public_id(public_id: UUID) -> OrderRecord | None:
    """Read by every order page, poll and action: raw SQL built once (records.py)."""
    rows = await Order.raw(f"{OrderRecord.select_sql()} WHERE public_id = {{}}", public_id)
    return OrderRecord.from_row(rows[0]) if rows else None


async def assigned_order(public_id: UUID) -> OrderRecord:
    """The order once a tailor is assigned to it; else TrackingError("not_found")."""
    order = await order_by_public_id(public_id)
    if order is None or order.assigned_tailor is None:
        raise TrackingError("not_found")
    return order


async def order_for(public_id: UUID, account_id: int, role: str) -> OrderRecord:
    """The order in production if this account may read it (an admin reads every one, anyone
    else only as one of its parties); else TrackingError("not_found")."""
    order = await assigned_order(public_id)
    if role != Role.ADMIN and side_of(order, account_id) is None:
        raise TrackingError("not_found")
    return order


async def order_for_party(public_id: UUID, account_id: int) -> OrderRecord:
    """The order in production if this account is its designer or its tailor; everyone else,
    admins too, gets TrackingError("not_found"): only the parties act on an order."""
    order = await assigned_order(public_id)
    if side_of(order, account_id) is None:
        raise TrackingError("not_found")
    return order


def clean_note(note: str, *, required: bool = False) -> str:
    """A note or reason a party writes: at most NOTE_MAX characters, at least REASON_MIN when
    the other side must read why."""
    note = typed_text(note)
    if len(note) > NOTE_MAX:
        raise TrackingError("note_too_long")
    if required and len(note) < REASON_MIN:
        raise TrackingError("reason_required")
    return note


async def touch(order_id: int) -> None:
    """Something on the order page changed: a new revision makes a new ETag."""
    await Order.update({Order.revision: Order.revision + 1}).where(Order.id == order_id)
