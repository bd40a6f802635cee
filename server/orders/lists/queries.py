"""The lists' orders, as raw SQL through Piccolo's engine: every visit to a list runs them, and
the query builder cost more than the query (`OrderRecord.from_row` reads the rows as it reads
the builder's). Written once for both engines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


async def designer_orders(designer_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Order.raw(DESIGNER_ORDERS, designer_id)
    return rows


async def tailor_orders(tailor_id: int, since: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Order.raw(
        TAILOR_ORDERS,
        tailor_id,
        str(OrderStatus.ASSIGNED),
        str(OrderStatus.COMPLETED),
        since,
        str(OrderStatus.CANCELLED),
        since,
    )
    return rows
