"""Pesanan saya: the designer's orders and drafts, newest first."""

from __future__ import annotations

from typing import Any

from server.orders.lists.summary import SUMMARY_COLUMNS, summaries
from server.orders.offers.comparison import live_offer_counts
from server.orders.tables import Order, OrderDraft


async def my_orders(designer_id: int) -> list[dict[str, Any]]:
    """Pesanan saya: newest first, each with its live offers and who took it; once taken, its
    production summary (stage, next step, lateness, unread messages)."""
    orders: list[dict[str, Any]] = await (
        Order.select(
            *SUMMARY_COLUMNS,
            Order.category,
            Order.budget_per_piece,
            Order.mode,
            Order.created_at,
            Order.assigned_tailor.name,
        )
        .where(Order.designer == designer_id)
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id, ascending=False)
    )
    counts = await live_offer_counts([order["id"] for order in orders])
    produced = await summaries(
        [order for order in orders if order["assigned_tailor"] and order["stage"]], designer_id
    )
    return [
        {**order, "live_offers": counts.get(order["id"], 0), "summary": produced.get(order["id"])}
        for order in orders
    ]


async def my_drafts(designer_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        OrderDraft.select(OrderDraft.public_id, OrderDraft.data, OrderDraft.updated_at)
        .where(OrderDraft.designer == designer_id)
        .order_by(OrderDraft.updated_at, ascending=False)
    )
    return rows
