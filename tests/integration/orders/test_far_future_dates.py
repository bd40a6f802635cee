"""Old rows with dates no form accepts today: an order due 9999-12-31, written to the database
as data from before dates were bounded would be. Every list and order page still answers, for
the tailor, the designer and the admin; a row no list can read is shown with a warning."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.orders.assignment.services import take
from server.orders.tables import Order
from tests.builders.orders import deal, order
from tests.builders.people import signed_in_admin
from tests.helpers import post_form

FAR = date(9999, 12, 31)
SUMMARY_LOGGER = "server.orders.lists.summary"
WARNING = "Sebagian keterangan order ini tidak bisa ditampilkan di sini."


async def admin_client(stack: AsyncExitStack, app: Litestar) -> AsyncTestClient[Litestar]:
    client: AsyncTestClient[Litestar] = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(client)
    return client


async def assert_pages(client: AsyncTestClient[Litestar], pages: dict[str, str]) -> None:
    """Each page answers 200 and shows what it must (url -> text)."""
    for url, text in pages.items():
        response = await client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[-2000:])
        assert text in response.text, url


async def test_orders_due_in_year_9999_show_on_every_page_for_every_role(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    await Order.update({Order.deadline: FAR, Order.agreed_ready_by: FAR}).where(
        Order.public_id == job.public_id
    )
    waiting = await order(job.designer_id, mode="direct", title="Kebaya wisuda")
    await Order.update({Order.deadline: FAR}).where(Order.public_id == waiting)
    admin = await admin_client(stack, app)

    taken = await post_form(
        job.outsider_client, f"/orders/{waiting}/take", {"revision": "0"}, follow_redirects=False
    )

    assert taken.status_code == 303, taken.text
    for url in (job.url, f"/orders/{waiting}"):
        await assert_pages(job.designer_client, {url: "Rp2.250.000"})
        await assert_pages(admin, {url: "Rp2.250.000"})
    await assert_pages(
        job.tailor_client, {"/home": "Kemeja seragam kantor", job.url: "Rp2.250.000"}
    )
    await assert_pages(job.tailor_client, {"/work": "Kemeja seragam kantor", "/jobs": "Order"})
    await assert_pages(job.outsider_client, {"/work": "Kebaya wisuda", "/home": "Kebaya wisuda"})
    await assert_pages(job.designer_client, {"/orders": "Kebaya wisuda", "/home": "Dewi Kirana"})
    await assert_pages(admin, {"/home": "Budi Admin", "/admin/": "Dasbor program"})


async def test_an_open_order_due_in_year_9999_is_listed_and_can_be_offered_on(
    app: Litestar, stack: AsyncExitStack
) -> None:
    job = await deal(stack, app)
    bidding = await order(job.designer_id, title="Seragam sekolah")
    await Order.update({Order.deadline: FAR}).where(Order.public_id == bidding)
    await assert_pages(job.outsider_client, {"/jobs": "Seragam sekolah"})
    await assert_pages(job.outsider_client, {f"/orders/{bidding}": "Seragam sekolah"})
    await assert_pages(job.designer_client, {"/orders": "Seragam sekolah"})

    offered = await post_form(
        job.outsider_client,
        f"/orders/{bidding}/offers",
        {"price_per_piece": "45.000", "ready_by": "9999-12-31", "note": ""},
    )

    assert offered.status_code == 400
    assert "Tanggal siap paling lama setahun dari sekarang" in offered.text


async def one_row(client: AsyncTestClient[Litestar], url: str, title: str) -> str:
    html = (await client.get(url)).text
    assert title in html, html
    return html.split(title, 1)[1].split("</li>", 1)[0]


async def test_a_row_no_list_can_read_is_shown_with_a_warning_and_logged(
    app: Litestar, stack: AsyncExitStack, caplog: pytest.LogCaptureFixture
) -> None:
    job = await deal(stack, app)
    other = await order(job.designer_id, mode="direct", title="Kebaya wisuda")
    await take(job.tailor_id, other)
    # An assignment without its moment, as a hand-made or half-migrated row would have.
    await Order.update({Order.assigned_at: None}).where(Order.public_id == job.public_id)

    with caplog.at_level(logging.ERROR, logger=SUMMARY_LOGGER):
        pages = {"/work": job.tailor_client, "/home": job.tailor_client}
        pages |= {"/orders": job.designer_client}
        for url, client in pages.items():
            broken = await one_row(client, url, "Kemeja seragam kantor")
            assert WARNING in broken, url
            fine = await one_row(client, url, "Kebaya wisuda")
            assert WARNING not in fine and "Anda:" in fine, url

    logged = [record for record in caplog.records if record.name == SUMMARY_LOGGER]
    assert logged and all(str(job.public_id) in record.getMessage() for record in logged)
    assert all(record.exc_info for record in logged)
