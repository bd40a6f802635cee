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


# What the summaries weigh of each order besides its row, in one statement (each `{ids}` is
# the orders' placeholders): a row per event (in the order they happened), payment, open
# cancellation and own review, and the count of messages waiting unread for the account. The
# first branch names the columns and, on SQLite, gives `at` the type it converts.
FACTS = """
SELECT 'event' AS fact, e."order" AS "order", e.kind AS kind, '' AS status, 0 AS number,
  e.created_at AS at, e.id AS seq
FROM order_event e WHERE e."order" IN ({ids})
UNION ALL
SELECT 'payment', p."order", p.kind, p.status, 0, NULL, 0 FROM payment p WHERE p."order" IN ({ids})
UNION ALL
SELECT 'cancellation', c."order", '', c.status, c.requested_by, NULL, 0 FROM cancellation c
WHERE c."order" IN ({ids}) AND c.status IN ({statuses})
UNION ALL
SELECT 'review', r."order", '', '', 0, NULL, 0 FROM review r
WHERE r."order" IN ({ids}) AND r.author = {{}}
UNION ALL
SELECT 'unread', m."order", '', '', count(*), NULL, 0 FROM message m
WHERE m."order" IN ({ids}) AND m.recipient = {{}} AND m.read_at IS NULL
GROUP BY m."order"
ORDER BY seq
"""


@dataclass(frozen=True)
class FactRows:
    events: list[tuple[int, str, datetime]]  # order, kind, when; in the order they happened
    payments: list[tuple[int, str, str]]  # order, kind, status
    open_cancellations: list[tuple[int, int, str]]  # order, requested by, status
    reviewed: set[int]  # the orders this account rated
    unread: dict[int, int]  # order -> messages waiting for this account


async def facts_rows(
    order_ids: Sequence[int], account_id: int, open_statuses: Sequence[str]
) -> FactRows:
    """The events, payments, open cancellations, this account's reviews and unread messages
    of the orders."""
    ids = placeholders(len(order_ids))
    sql = FACTS.format(ids=ids, statuses=placeholders(len(open_statuses)))
    rows = await Order.raw(
        sql,
        *order_ids,
        *order_ids,
        *order_ids,
        *open_statuses,
        *order_ids,
        account_id,
        *order_ids,
        account_id,
    )
    found = FactRows(events=[], payments=[], open_cancellations=[], reviewed=set(), unread={})
    for row in rows:
        fact, order_id = row["fact"], row["order"]
        if fact == "event":
            found.events.append((order_id, row["kind"], row["at"]))
        elif fact == "payment":
            found.payments.append((order_id, row["kind"], row["status"]))
        elif fact == "cancellation":
            found.open_cancellations.append((order_id, int(row["number"]), row["status"]))
        elif fact == "review":
            found.reviewed.add(order_id)
        else:
            found.unread[order_id] = int(row["number"])
    return found
