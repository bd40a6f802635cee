"""The lists of orders in production: the tailor's "Pekerjaan saya" (/work) and the designer's
"Pesanan saya" (/orders), with stage, next step, lateness and unread messages, kept offline."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.orders.assignment.services import take
from server.orders.production.stages import Stage
from server.orders.tables import (
    Cancellation,
    Message,
    Order,
    OrderStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from tests.builders.orders import Deal, deal, move_to, order
from tests.builders.people import signed_in_admin, signed_in_designer
from tests.builders.places import today
from tests.helpers import HX

TITLE = "Kemeja seragam kantor"


async def row_of(client: AsyncTestClient[Litestar], url: str, deal: Deal, suffix: str) -> str:
    """The text of this order's row on a list page."""
    html = (await client.get(url)).text
    marker = f'id="order-{deal.public_id}-{suffix}"'
    assert marker in html, html
    return html.split(marker, 1)[1].split("</li>", 1)[0]


async def job_row(deal: Deal) -> str:
    return await row_of(deal.tailor_client, "/work", deal, "job")


async def order_row(deal: Deal) -> str:
    return await row_of(deal.designer_client, "/orders", deal, "row")


async def set_payment(deal: Deal, kind: str, status: str) -> None:
    row = await deal.row()
    await Payment.update({Payment.status: status}).where(
        (Payment.order == row["id"]) & (Payment.kind == kind)
    )


async def test_rows_show_stage_next_step_and_total_for_each_side(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await move_to(job, Stage.MATERIALS_RECEIVED)
    tailor_row = await job_row(job)
    assert TITLE in tailor_row and f'href="/orders/{job.public_id}"' in tailor_row
    assert "Bahan diterima" in tailor_row and "17% selesai" in tailor_row
    assert "Anda: posting Potong" in tailor_row
    assert "Total Rp2.250.000" in tailor_row  # 50 pcs at Rp45.000
    designer_row = await order_row(job)
    assert "Bahan diterima" in designer_row and 'value="17"' in designer_row
    assert "Anda: bayar uang muka (DP)" in designer_row  # the designer's own step comes first
    assert "Penjahit: Siti Rahayu" in designer_row and "Total Rp2.250.000" in designer_row


async def test_next_step_follows_the_down_payment(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app)
    await set_payment(job, PaymentKind.DOWN_PAYMENT, PaymentStatus.PAID)
    assert "Anda: konfirmasi DP sudah diterima" in await job_row(job)
    assert "Menunggu penjahit: konfirmasi DP sudah diterima" in await order_row(job)
    await set_payment(job, PaymentKind.DOWN_PAYMENT, PaymentStatus.CONFIRMED)
    assert "Anda: posting Bahan diterima" in await job_row(job)
    assert "Menunggu penjahit: posting Bahan diterima" in await order_row(job)


async def test_shipping_waits_for_the_designer_when_the_down_payment_is_due(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await move_to(job, Stage.FINISHING)
    assert "Menunggu desainer: bayar uang muka (DP)" in await job_row(job)
    assert "Anda: bayar uang muka (DP)" in await order_row(job)


async def test_sample_waits_for_the_designer(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app, sample_first=True)
    await move_to(job, Stage.SAMPLE_MADE)
    assert "Menunggu desainer: setujui sampel" in await job_row(job)
    assert "Anda: setujui sampel" in await order_row(job)


async def test_shipped_order_asks_the_designer_to_confirm_receipt(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await move_to(job, Stage.SHIPPED)
    assert "Menunggu desainer: konfirmasi barang sudah diterima" in await job_row(job)
    assert "Anda: konfirmasi barang sudah diterima" in await order_row(job)


async def test_late_order_is_marked_with_its_days(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app)
    on_time = await job_row(job)
    assert "terlambat" not in on_time
    # Assigned ten days ago, ready today: materials were expected on day 2, eight days ago.
    await Order.update(
        {
            Order.assigned_at: datetime.now(UTC) - timedelta(days=10),
            Order.agreed_ready_by: today(),
        }
    ).where(Order.public_id == job.public_id)
    assert "Bahan diterima: terlambat 8 hari" in await job_row(job)
    assert "Bahan diterima: terlambat 8 hari" in await order_row(job)


async def test_unread_messages_are_counted_for_their_reader_only(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    row = await job.row()
    await Message.insert(
        *[
            Message(order=row["id"], sender=job.designer_id, recipient=job.tailor_id, body=body)
            for body in ("Ukuran M ditambah?", "Kain dikirim besok.")
        ],
        Message(
            order=row["id"],
            sender=job.designer_id,
            recipient=job.tailor_id,
            body="Sudah dibaca",
            read_at=datetime.now(UTC),
        ),
    )
    assert "2 pesan belum dibaca" in await job_row(job)
    assert "belum dibaca" not in await order_row(job)


async def test_cancellation_request_asks_the_other_side_to_answer(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    row = await job.row()
    await Cancellation.insert(
        Cancellation(order=row["id"], requested_by=job.designer_id, reason="Desain berubah")
    )
    assert "Anda: jawab permintaan pembatalan" in await job_row(job)
    assert "Menunggu penjahit: jawab permintaan pembatalan" in await order_row(job)
    await Cancellation.update({Cancellation.status: "disputed"}).where(
        Cancellation.order == row["id"]
    )
    assert "Menunggu admin: putuskan sengketa" in await job_row(job)


async def test_completed_order_moves_to_finished_and_asks_for_ratings(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await move_to(job, Stage.COMPLETED)
    html = (await job.tailor_client.get("/work")).text
    assert "Belum ada pekerjaan yang sedang diproduksi." in html
    assert "Selesai dalam 30 hari terakhir" in html
    tailor_row = await job_row(job)
    assert "Selesai pada" in tailor_row and "Anda: beri nilai untuk desainer" in tailor_row
    designer_row = await order_row(job)
    assert "Selesai pada" in designer_row and "Anda: bayar pelunasan" in designer_row
    await Order.update({Order.completed_at: datetime.now(UTC) - timedelta(days=31)}).where(
        Order.public_id == job.public_id
    )
    assert TITLE not in (await job.tailor_client.get("/work")).text


async def test_cancelled_job_shows_with_its_reason(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app)
    await Order.update(
        {Order.status: OrderStatus.CANCELLED, Order.cancel_reason: "Kain tidak tersedia"}
    ).where(Order.public_id == job.public_id)
    tailor_row = await job_row(job)
    assert "Dibatalkan" in tailor_row and "Kain tidak tersedia" in tailor_row
    assert "Anda:" not in tailor_row and "Menunggu" not in tailor_row


async def test_jobs_needing_the_tailor_come_first(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app)
    waiting = await order(job.designer_id, mode="direct", title="Seragam sekolah")
    await take(job.tailor_id, waiting)
    await move_to(job, Stage.FINISHING)  # now waits for the designer's down payment
    html = (await job.tailor_client.get("/work")).text
    assert html.index("Seragam sekolah") < html.index(TITLE)


async def test_another_tailors_jobs_never_appear(app: Litestar, stack: AsyncExitStack) -> None:
    job = await deal(stack, app)
    response = await job.outsider_client.get("/work")
    assert response.status_code == 200
    assert TITLE not in response.text and str(job.public_id) not in response.text
    assert "Belum ada pekerjaan." in response.text
    assert 'href="/jobs"' in response.text


async def test_tailor_home_shows_the_next_step_of_each_job(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    html = (await job.tailor_client.get("/home")).text
    assert "Pekerjaan saya" in html
    assert TITLE in html and "Anda: posting Bahan diterima" in html
    assert 'href="/work"' in html and "Semua pekerjaan saya (1 sedang diproduksi)" in html


async def test_designer_list_keeps_open_orders_and_drafts_as_they_were(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await order(job.designer_id, title="Kaos komunitas")
    html = (await job.designer_client.get("/orders")).text
    open_row = html.split("Kaos komunitas", 1)[1].split("</li>", 1)[0]
    assert "Menunggu penjahit" in open_row and "Anda:" not in open_row
    assert "Anda: bayar uang muka (DP)" in html


async def test_work_list_guards(app: Litestar, stack: AsyncExitStack) -> None:
    visitor, designer_client, admin_client = [
        await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(3)
    ]
    response = await visitor.get("/work", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fwork"
    await signed_in_designer(designer_client)
    assert (await designer_client.get("/work")).status_code == 403
    await signed_in_admin(admin_client)
    assert (await admin_client.get("/work")).status_code == 403


async def test_full_pages_are_kept_offline_and_fragments_are_not(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    for client, url in ((job.tailor_client, "/work"), (job.designer_client, "/orders")):
        page = await client.get(url)
        assert page.status_code == 200
        assert page.headers["offline-cache"] == "page"
        assert "<html" in page.text
        fragment = await client.get(url, headers=HX)
        assert fragment.status_code == 200
        assert "offline-cache" not in fragment.headers
        assert "<html" not in fragment.text and TITLE in fragment.text
