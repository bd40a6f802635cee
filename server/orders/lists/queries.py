"""The lists' orders, as raw SQL through Piccolo's engine: every visit to a list runs them, and
the query builder cost more than the query (`OrderRecord.from_row` reads the rows as it reads
the builder's). Written once for both engines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from server.orders.records import OrderRecord
from server.orders.sql import placeholders
from server.orders.tables import Order, OrderStatus

# Pesanan saya: newest first, with the name of the tailor who took each.
DESIGNER_ORDERS = """
SELECT o.*, t.name AS tailor_name
FROM "order" o
LEFT JOIN account t ON t.id = o.assigned_tailor
WHERE o.designer = {}
ORDER BY o.created_at DESC, o.id DESC
"""

# Pekerjaan saya: in production, or completed or cancelled since then.
TAILOR_ORDERS = """
SELECT * FROM "order"
WHERE assigned_tailor = {}
  AND (status = {} OR (status = {} AND completed_at >= {}) OR (status = {} AND updated_at >= {}))
"""


async def designer_orders(designer_id: int) -> list[tuple[OrderRecord, str | None]]:
    """Each order, and the name of the tailor who took it (None while nobody has)."""
    rows = await Order.raw(DESIGNER_ORDERS, designer_id)
    return [(OrderRecord.from_row(row), row["tailor_name"]) for row in rows]


async def tailor_orders(tailor_id: int, since: datetime) -> list[OrderRecord]:
    rows = await Order.raw(
        TAILOR_ORDERS,
        tailor_id,
        str(OrderStatus.ASSIGNED),
        str(OrderStatus.COMPLETED),
        since,
        str(OrderStatus.CANCELLED),
        since,
    )
    return OrderRecord.from_rows(rows)


# What the summaries weigh of each order, besides its row (the `{ids}` are placeholders).
EVENTS = 'SELECT "order", kind, created_at FROM order_event WHERE "order" IN ({ids}) ORDER BY id'
PAYMENTS = 'SELECT "order", kind, status FROM payment WHERE "order" IN ({ids})'
OPEN_CANCELLATIONS = """
SELECT "order", requested_by, status FROM cancellation
WHERE "order" IN ({ids}) AND status IN ({statuses})
"""
OWN_REVIEWS = 'SELECT "order" FROM review WHERE "order" IN ({ids}) AND author = {{}}'


@dataclass(frozen=True)
class FactRows:
    events: list[tuple[int, str, datetime]]  # order, kind, when; in the order they happened
    payments: list[tuple[int, str, str]]  # order, kind, status
    open_cancellations: list[tuple[int, int, str]]  # order, requested by, status
    reviewed: set[int]  # the orders this account rated


async def facts_rows(
    order_ids: Sequence[int], account_id: int, open_statuses: Sequence[str]
) -> FactRows:
    """The events, payments, open cancellations and this account's reviews of the orders."""
    ids = placeholders(len(order_ids))
    events = await Order.raw(EVENTS.format(ids=ids), *order_ids)
    payments = await Order.raw(PAYMENTS.format(ids=ids), *order_ids)
    cancellations = await Order.raw(
        OPEN_CANCELLATIONS.format(ids=ids, statuses=placeholders(len(open_statuses))),
        *order_ids,
        *open_statuses,
    )
    reviews = await Order.raw(OWN_REVIEWS.format(ids=ids), *order_ids, account_id)
    return FactRows(
        events=[(row["order"], row["kind"], row["created_at"]) for row in events],
        payments=[(row["order"], row["kind"], row["status"]) for row in payments],
        open_cancellations=[
            (row["order"], row["requested_by"], row["status"]) for row in cancellations
        ],
        reviewed={row["order"] for row in reviews},
    )
