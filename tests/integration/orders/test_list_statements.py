"""The lists' own statements read the orders as the query builder reads them, on both engines."""

from __future__ import annotations

from datetime import timedelta

from server.clock import now
from server.orders.lists.designer import designer_list
from server.orders.lists.queries import tailor_orders
from server.orders.lists.summary import gather_facts
from server.orders.production.stages import Stage
from server.orders.records import OrderRecord
from server.orders.tables import (
    Cancellation,
    CancellationStatus,
    Message,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    Review,
)
from tests.builders.orders import assigned, cancelled, draft, in_production, order
from tests.builders.people import designer, tailor


async def test_list_statements_read_the_orders_as_the_query_builder_does(
    clean_database: str,
) -> None:
    owner = await designer()
    maker = await tailor(km=1.0, name="Siti Penjahit")
    await order(owner, title="Masih terbuka")
    cutting = await in_production(
        owner, maker, Stage.CUTTING, sizes={"S": 10, "custom": "lengan 60 cm"}
    )
    finished = await in_production(owner, maker, Stage.COMPLETED, title="Sudah selesai")
    await cancelled(owner, title="Dibatalkan")
    long_ago = await in_production(owner, maker, Stage.COMPLETED, title="Lama selesai")
    await Order.update({Order.completed_at: now() - timedelta(days=90)}).where(
        Order.public_id == long_ago
    )
    await assigned(owner, maker)
    await draft(owner, title="Draf kaos")

    lines, drafts = await designer_list(owner)

    built = await (
        Order.select(*OrderRecord.columns(), Order.assigned_tailor.name)
        .where(Order.designer == owner)
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id, ascending=False)
    )
    assert [line.order for line in lines] == OrderRecord.from_rows(built)
    assert [line.tailor_name for line in lines] == [row["assigned_tailor.name"] for row in built]
    assert "Siti Penjahit" in [line.tailor_name for line in lines]
    assert [item.title for item in drafts] == ["Draf kaos"]

    since = now() - timedelta(days=30)
    mine = await Order.select(*OrderRecord.columns()).where(
        (Order.assigned_tailor == maker)
        & (
            (Order.status == OrderStatus.ASSIGNED)
            | ((Order.status == OrderStatus.COMPLETED) & (Order.completed_at >= since))
            | ((Order.status == OrderStatus.CANCELLED) & (Order.updated_at >= since))
        )
    )
    read = await tailor_orders(maker, since)
    assert sorted(read, key=lambda record: record.id) == OrderRecord.from_rows(
        sorted(mine, key=lambda row: row["id"])
    )
    assert len(read) == 3  # in production, assigned, completed lately; not the one long ago

    ids = {record.public_id: record.id for record in read}
    for body in ("Kainnya sudah sampai?", "Ukuran L ditambah"):
        await Message.insert(Message(order=ids[cutting], sender=owner, recipient=maker, body=body))
    await Message.insert(Message(order=ids[cutting], sender=maker, recipient=owner, body="Ya"))
    await Cancellation.insert(
        Cancellation(order=ids[cutting], requested_by=owner, reason="Tidak jadi."),
        Cancellation(
            order=ids[finished],
            requested_by=maker,
            reason="Dulu.",
            status=CancellationStatus.WITHDRAWN,
        ),
    )
    await Review.insert(
        Review(
            order=ids[finished],
            author=maker,
            subject=owner,
            pair=f"{ids[finished]}:{maker}",
            stars=5,
        )
    )

    facts = await gather_facts([record.id for record in read], maker)
    assert {public_id: facts[order_id].unread for public_id, order_id in ids.items()} == {
        public_id: 2 if public_id == cutting else 0 for public_id in ids
    }
    assert [public_id for public_id, order_id in ids.items() if facts[order_id].reviewed] == [
        finished
    ]
    asked = {public_id: facts[order_id].open_cancellation for public_id, order_id in ids.items()}
    assert asked[cutting] is not None
    assert (asked[cutting].requested_by, asked[cutting].status) == (
        owner,
        CancellationStatus.PENDING,
    )
    assert [public_id for public_id, request in asked.items() if request] == [cutting]
    for record in read:
        events = await (
            OrderEvent.select(OrderEvent.kind, OrderEvent.created_at)
            .where(OrderEvent.order == record.id)
            .order_by(OrderEvent.id)
        )
        assert [(event.kind, event.at) for event in facts[record.id].events] == [
            (row["kind"], row["created_at"]) for row in events
        ]
        payments = await Payment.select(Payment.kind, Payment.status).where(
            Payment.order == record.id
        )
        assert facts[record.id].payments == {row["kind"]: row["status"] for row in payments}
    assert any(facts[record.id].events for record in read)
