"""The order page, for each state an order goes through, shows both parties what it always
did, read in a bounded number of statements: no read grows with the thread or the timeline,
and opening a thread with nothing unread writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar

from server.designers.tables import DesignerProfile
from server.media.tables import Photo
from server.orders.page.queries import production_reads, timeline_events
from server.orders.parties import order_by_public_id
from server.orders.payments.services import PAYMENTS_SQL, payments_of
from server.orders.posting.services import ReferencePhoto, order_photos
from server.orders.production.stages import Stage
from server.orders.records import CancellationRecord, OrderRecord, PaymentRecord
from server.orders.tables import (
    Cancellation,
    CancellationStatus,
    Message,
    Order,
    OrderEvent,
    OrderPhoto,
    Payment,
    PaymentKind,
)
from server.orders.thread.services import send_message
from tests.builders.orders import Deal, client_for, deal, move_to, offer, order
from tests.builders.people import designer, sign_in_as, tailor
from tests.helpers import HX
from tests.query_count import Tally, install, snapshot

# Statements per request, the session's and the bell's included.
PAGE_BUDGET = 7  # a completed order reads its ratings too
READ_MARKS = 2  # the messages and their alerts, when some are unread
READ_AGAIN = 1  # then the latest messages, as they are once marked
POLL_BUDGET = 3
UNCHANGED_POLL_BUDGET = 2


@pytest.fixture
def counted() -> Iterator[None]:
    install()
    yield


async def get_counted(client: Any, url: str, **kwargs: Any) -> tuple[Any, Tally]:
    before = snapshot()
    response = await client.get(url, **kwargs)
    return response, snapshot().since(before)


async def with_messages(order: Deal, count: int) -> None:
    for index in range(count):
        sender, role = (order.tailor_id, "tailor") if index % 2 else (order.designer_id, "designer")
        await send_message(order.public_id, sender, role, f"Pesan nomor {index}")


@pytest.mark.parametrize(
    "stage",
    [Stage.CONFIRMED, Stage.CUTTING, Stage.SHIPPED, Stage.COMPLETED],
)
async def test_both_parties_see_the_order_thread_and_timeline_at_each_stage(
    app: Litestar, stack: AsyncExitStack, counted: None, stage: Stage
) -> None:
    order = await deal(stack, app, title="Seragam batik kantor")
    await move_to(order, stage)
    await with_messages(order, 3)
    for client, other in (
        (order.designer_client, "Siti Rahayu"),
        (order.tailor_client, "Dewi Kirana"),
    ):
        page, tally = await get_counted(client, order.url)
        assert page.status_code == 200
        assert "Seragam batik kantor" in page.text
        assert all(f"Pesan nomor {index}" in page.text for index in range(3))
        assert other in page.text, "the thread names the other party"
        assert tally.queries <= PAGE_BUDGET + READ_MARKS, tally
    unread = await Message.count().where(Message.read_at.is_null())
    assert unread == 0, "each party read the messages sent to them by opening the page"


async def test_statements_do_not_grow_with_the_thread_or_the_timeline(
    app: Litestar, stack: AsyncExitStack, counted: None
) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.MATERIALS_RECEIVED)
    await order.tailor_client.get(order.url)
    _page, few = await get_counted(order.tailor_client, order.url)
    await move_to(order, Stage.FINISHING)
    await with_messages(order, 12)
    await order.tailor_client.get(order.url)  # reads what the designer sent
    page, many = await get_counted(order.tailor_client, order.url)
    assert "Pesan nomor 11" in page.text
    assert many.queries == few.queries, (few, many)


async def test_a_thread_with_nothing_unread_is_read_without_writing(
    app: Litestar, stack: AsyncExitStack, counted: None
) -> None:
    order = await deal(stack, app)
    await with_messages(order, 2)
    _first, marking = await get_counted(order.designer_client, order.url)
    _again, settled = await get_counted(order.designer_client, order.url)
    assert settled.queries == marking.queries - READ_MARKS - READ_AGAIN, (
        "the read marks are written once"
    )
    assert settled.queries <= PAGE_BUDGET, settled
    assert await Message.count().where(Message.read_at.is_null()) == 1, "the tailor's own"


async def test_the_poll_stays_within_its_statements(
    app: Litestar, stack: AsyncExitStack, counted: None
) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.CUTTING)
    region, changed = await get_counted(order.tailor_client, f"{order.url}/production", headers=HX)
    assert region.status_code == 200 and changed.queries <= POLL_BUDGET, changed
    tag = region.headers["etag"]
    again, unchanged = await get_counted(
        order.tailor_client, f"{order.url}/production", headers={**HX, "If-None-Match": tag}
    )
    assert again.status_code == 304 and again.content == b""
    assert unchanged.queries <= UNCHANGED_POLL_BUDGET, unchanged


async def test_a_tailor_reads_the_buyer_and_their_rating_on_an_open_order(
    app: Litestar, stack: AsyncExitStack, counted: None
) -> None:
    designer_id = await designer("Dewi Kirana", business="Batik Kirana")
    await DesignerProfile.update(
        {DesignerProfile.rating_average: 4.6, DesignerProfile.rating_count: 7}
    ).where(DesignerProfile.account == designer_id)
    public_id = await order(designer_id, title="Kemeja seragam kantor")
    tailor_id = await tailor("Siti Rahayu", "0812-1000-0001", skills=("kemeja",), capacity=1000)
    client = await client_for(stack, app)
    await sign_in_as(client, tailor_id)
    page, tally = await get_counted(client, f"/orders/{public_id}")
    assert page.status_code == 200
    assert "Batik Kirana" in page.text and "★4,6 (7)" in page.text
    assert tally.queries <= PAGE_BUDGET, tally
    await offer(tailor_id, public_id, 44_000)
    page = await client.get(f"/orders/{public_id}")
    assert "44.000" in page.text, "the tailor's own offer fills the form"


async def test_a_designer_without_a_business_name_is_named_by_their_own(
    app: Litestar, stack: AsyncExitStack
) -> None:
    designer_id = await designer("Dewi Kirana", business="")
    public_id = await order(designer_id)
    tailor_id = await tailor("Siti Rahayu", "0812-1000-0001", skills=("kemeja",), capacity=1000)
    client = await client_for(stack, app)
    await sign_in_as(client, tailor_id)
    page = await client.get(f"/orders/{public_id}")
    assert page.status_code == 200 and "Dewi Kirana" in page.text
    assert "★" not in page.text, "no rating before the first"


async def test_an_order_read_by_its_raw_statement_is_the_record_piccolo_reads(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app, sample_first=True)
    await move_to(order, Stage.SAMPLE_MADE)
    built = await Order.select(*OrderRecord.columns()).where(Order.public_id == order.public_id)
    record = await order_by_public_id(order.public_id)
    assert record == OrderRecord.from_row(built[0])
    assert record is not None and record.sample_first is True and record.sizes
    assert isinstance(record.assigned_at, datetime) and isinstance(record.deadline, date)
    assert await order_by_public_id(uuid4()) is None


async def test_the_region_reads_its_lists_in_one_statement_as_the_query_builder_does(
    app: Litestar, stack: AsyncExitStack, counted: None
) -> None:
    order = await deal(stack, app, sample_first=True)
    await move_to(order, Stage.SAMPLE_MADE)
    record = await order_by_public_id(order.public_id)
    assert record is not None
    photo = Photo(
        owner=order.tailor_id,
        kind="stage",
        width=800,
        height=600,
        small_width=400,
        small_height=300,
    )
    reference = Photo(
        owner=order.designer_id,
        kind="order",
        width=800,
        height=600,
        small_width=400,
        small_height=300,
    )
    await Photo.insert(photo, reference)
    await OrderPhoto.insert(
        OrderPhoto(order=record.id, photo=reference.id), OrderPhoto(order=record.id, photo=photo.id)
    )
    await OrderEvent.update({OrderEvent.photo: photo.id}).where(
        (OrderEvent.order == record.id) & (OrderEvent.kind == Stage.SAMPLE_MADE)
    )
    await Payment.update({Payment.proof: photo.id}).where(
        (Payment.order == record.id) & (Payment.kind == PaymentKind.DOWN_PAYMENT)
    )
    await Cancellation.insert(
        Cancellation(
            order=record.id,
            requested_by=order.designer_id,
            reason="Dulu.",
            status=CancellationStatus.WITHDRAWN,
        ),
        Cancellation(order=record.id, requested_by=order.tailor_id, reason="Kain habis."),
    )

    before = snapshot()
    reads = await production_reads(record.id)
    assert snapshot().since(before).queries == 1

    assert reads.events == await timeline_events(record.id)
    assert any(event.photo is not None for event in reads.events)
    assert reads.payments == await Payment.raw(PAYMENTS_SQL, record.id)
    assert PaymentRecord.from_rows(reads.payments) == await payments_of(record.id)
    assert any(row["proof.public_id"] == photo.public_id for row in reads.payments)
    built = await (
        Cancellation.select(*CancellationRecord.columns())
        .where(Cancellation.order == record.id)
        .order_by(Cancellation.id, ascending=False)
    )
    assert reads.cancellations == CancellationRecord.from_rows(built)
    assert [row.reason for row in reads.cancellations] == ["Kain habis.", "Dulu."]
    assert reads.photos == await order_photos(record.id)
    built = await (
        Photo.select(Photo.id, Photo.public_id, Photo.owner, Photo.small_width, Photo.small_height)
        .where(
            Photo.id.is_in(OrderPhoto.select(OrderPhoto.photo).where(OrderPhoto.order == record.id))
        )
        .order_by(Photo.id)
    )
    assert reads.photos == [ReferencePhoto(**row) for row in built]
    assert [row.public_id for row in reads.photos] == [photo.public_id, reference.public_id]

    nothing = await production_reads(0)  # no such order: a row of NULLs per part, no entries
    assert (nothing.events, nothing.payments, nothing.cancellations, nothing.photos) == (
        [],
        [],
        [],
        [],
    )
