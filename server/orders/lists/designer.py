"""Pesanan saya: the designer's orders and drafts, newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from server.db import reading
from server.orders.lists.queries import designer_orders
from server.orders.lists.summary import OrderSummary, summaries
from server.orders.offers.comparison import live_offer_counts
from server.orders.records import OrderRecord
from server.orders.tables import OrderDraft


@dataclass(frozen=True)
class OrderLine:
    """One order on the designer's list: the order, who took it, its live offers and, once in
    production, its summary."""

    order: OrderRecord
    tailor_name: str | None
    live_offers: int
    summary: OrderSummary | None


@dataclass(frozen=True)
class DraftLine:
    """A draft on the list: the title the designer typed so far ("" if none yet)."""

    public_id: UUID
    title: str
    updated_at: datetime


async def my_orders(designer_id: int) -> list[OrderLine]:
    """Pesanan saya: newest first, each with its live offers and who took it; once taken, its
    production summary (stage, next step, lateness, unread messages)."""
    rows = await designer_orders(designer_id)
    orders = [order for order, _tailor_name in rows]
    counts = await live_offer_counts([order.id for order in orders])
    produced = await summaries(
        [order for order in orders if order.assigned_tailor and order.stage], designer_id
    )
    return [
        OrderLine(
            order=order,
            tailor_name=tailor_name,
            live_offers=counts.get(order.id, 0),
            summary=produced.get(order.id),
        )
        for order, tailor_name in rows
    ]


async def designer_list(designer_id: int) -> tuple[list[OrderLine], list[DraftLine]]:
    """The whole list, read on one connection."""
    async with reading():
        return await my_orders(designer_id), await my_drafts(designer_id)


async def my_drafts(designer_id: int) -> list[DraftLine]:
    rows = await (
        OrderDraft.select(OrderDraft.public_id, OrderDraft.data, OrderDraft.updated_at)
        .where(OrderDraft.designer == designer_id)
        .order_by(OrderDraft.updated_at, ascending=False)
    )
    drafts = []
    for row in rows:
        data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        drafts.append(DraftLine(row["public_id"], str(data.get("title") or ""), row["updated_at"]))
    return drafts
