"""The thread of an order: the two parties write, admins read, nobody else sees it; the list is
polled with an ETag; each message alerts the other side, collapsed per order."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Role
from server.notifications.inbox import unread_count
from server.notifications.tables import Delivery, Notification, PushSubscription
from server.orders.refusals import TrackingError
from server.orders.tables import Message, Order, OrderStatus
from server.orders.thread.services import unread_counts
from tests.builders.orders import Deal, deal
from tests.builders.people import signed_in, signed_in_admin
from tests.helpers import HX, post_form, refusal_in_indonesian

Client = AsyncTestClient[Litestar]
TAILOR_DIGITS = "6281210000001"  # Siti Rahayu, 0812-1000-0001
DESIGNER_DIGITS = "6281355550000"  # Dewi Kirana, 0813-5555-0000


@pytest.fixture
async def order_deal(stack: AsyncExitStack, app: Litestar) -> Deal:
    return await deal(stack, app)


async def another(stack: AsyncExitStack, app: Litestar) -> Client:
    return await stack.enter_async_context(AsyncTestClient(app=app))


def thread_url(order_deal: Deal) -> str:
    return f"{order_deal.url}/messages"


async def messages_of(order_deal: Deal) -> list[dict[str, Any]]:
    order = await order_deal.row()
    rows: list[dict[str, Any]] = await (
        Message.select().where(Message.order == order["id"]).order_by(Message.id)
    )
    return rows


async def message_alerts(account_id: int) -> list[dict[str, Any]]:
    """In the order they were made (PostgreSQL returns rows in no set order without one)."""
    rows: list[dict[str, Any]] = (
        await Notification.select()
        .where((Notification.account == account_id) & (Notification.kind == "message"))
        .order_by(Notification.id)
    )
    return rows


def bell(unread: int) -> str:
    """What the header's bell says to a screen reader."""
    return f"Notifikasi, {unread} belum dibaca" if unread else "Notifikasi</span>"


async def send(client: Client, order_deal: Deal, body: str, **kwargs: Any) -> Any:
    kwargs.setdefault("follow_redirects", False)
    return await post_form(client, thread_url(order_deal), {"body": body}, **kwargs)


async def test_message_reaches_the_tailor_and_is_read_when_seen(order_deal: Deal) -> None:
    response = await send(order_deal.designer_client, order_deal, "  Kainnya dikirim besok pagi.  ")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/orders/{order_deal.public_id}#order-{order_deal.public_id}-thread"
    )
    [message] = await messages_of(order_deal)
    assert message["body"] == "Kainnya dikirim besok pagi."
    assert message["recipient"] == order_deal.tailor_id and message["read_at"] is None
    [alert] = await message_alerts(order_deal.tailor_id)
    assert alert["title"] == "Pesan baru: Kemeja seragam kantor"
    assert alert["body"] == "Kainnya dikirim besok pagi."
    assert alert["url"] == order_deal.url and alert["read_at"] is None
    order = await order_deal.row()
    assert await unread_counts([order["id"]], order_deal.tailor_id) == {order["id"]: 1}

    unread = await unread_count(order_deal.tailor_id)
    page = (await order_deal.tailor_client.get(order_deal.url)).text
    assert f'id="order-{order_deal.public_id}-thread"' in page
    assert "Kainnya dikirim besok pagi." in page
    assert "Dewi Kirana" in page
    assert 'class="bubble theirs"' in page
    assert await unread_count(order_deal.tailor_id) == unread - 1
    assert bell(unread - 1) in page  # the alert left the bell on this very page
    [message] = await messages_of(order_deal)
    assert message["read_at"] is not None
    [alert] = await message_alerts(order_deal.tailor_id)
    assert alert["read_at"] is not None
    assert await unread_counts([order["id"]], order_deal.tailor_id) == {}

    own_view = (await order_deal.designer_client.get(order_deal.url)).text
    assert 'class="bubble mine"' in own_view and "Anda</strong>" in own_view
    assert 'class="meta read"' in own_view


async def test_message_alert_is_pushed_collapsed_per_order(order_deal: Deal) -> None:
    await PushSubscription.insert(
        PushSubscription(
            account=order_deal.tailor_id, endpoint="https://push.example/siti", p256dh="k", auth="a"
        )
    )
    long_text = "Ukuran L " + "tolong dicek lagi " * 20
    await send(order_deal.designer_client, order_deal, long_text)
    await send(order_deal.designer_client, order_deal, "Terima kasih")
    alerts = await message_alerts(order_deal.tailor_id)
    assert {alert["tag"] for alert in alerts} == {f"messages-{order_deal.public_id}"}
    assert len(alerts[0]["body"]) <= 121 and alerts[0]["body"].endswith("…")
    queued = await Delivery.select().where(
        Delivery.notification.is_in([alert["id"] for alert in alerts])
    )
    assert len(queued) == 2


async def test_messages_do_not_touch_the_production_region(order_deal: Deal) -> None:
    before = (await order_deal.row())["revision"]
    await send(order_deal.tailor_client, order_deal, "Bahan sudah sampai")
    assert (await order_deal.row())["revision"] == before


async def test_htmx_post_answers_the_list_fragment(order_deal: Deal) -> None:
    response = await send(order_deal.tailor_client, order_deal, "Potong mulai hari ini", headers=HX)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<div id="order-{order_deal.public_id}-messages"')
    assert "Potong mulai hari ini" in html
    assert 'hx-swap-oob="true"' in html  # the form's problem line is cleared
    assert "<html" not in html
    assert response.headers["etag"]


async def test_empty_or_too_long_message_is_refused_and_nothing_written(
    order_deal: Deal,
) -> None:
    for body, code in (("   ", "message_empty"), ("x" * 1001, "message_too_long")):
        fragment = await send(order_deal.designer_client, order_deal, body, headers=HX)
        assert fragment.status_code == 422
        assert refusal_in_indonesian(TrackingError, code) in fragment.text
        page = await send(order_deal.designer_client, order_deal, body)
        assert page.status_code == 422
        assert refusal_in_indonesian(TrackingError, code) in page.text
    assert "x" * 1001 in page.text  # the text written is kept in the form
    assert await messages_of(order_deal) == []
    assert await message_alerts(order_deal.tailor_id) == []


async def test_longest_message_is_accepted(order_deal: Deal) -> None:
    response = await send(order_deal.designer_client, order_deal, "y" * 1000, headers=HX)
    assert response.status_code == 200
    assert len(await messages_of(order_deal)) == 1


async def test_outsiders_get_404_on_page_fragment_and_post(
    order_deal: Deal, stack: AsyncExitStack, app: Litestar
) -> None:
    await send(order_deal.designer_client, order_deal, "Rahasia harga")
    stranger = await another(stack, app)
    await signed_in(stranger, Role.DESIGNER, "Ayu Pratiwi", "0813-5555-0001")
    # Tailors may still read a taken order's public page, never its thread.
    taken = (await order_deal.outsider_client.get(order_deal.url)).text
    assert f"order-{order_deal.public_id}-thread" not in taken and "Rahasia harga" not in taken
    assert (await stranger.get(order_deal.url)).status_code == 404
    for client in (order_deal.outsider_client, stranger):
        fragment = await client.get(thread_url(order_deal), headers=HX)
        assert fragment.status_code == 404 and "Rahasia harga" not in fragment.text
        assert (await client.get(thread_url(order_deal))).status_code == 404
        assert (await send(client, order_deal, "Halo", headers=HX)).status_code == 404
        assert (await send(client, order_deal, "Halo")).status_code == 404
    assert len(await messages_of(order_deal)) == 1


async def test_admin_reads_the_thread_but_cannot_post(
    order_deal: Deal, stack: AsyncExitStack, app: Litestar
) -> None:
    await send(order_deal.designer_client, order_deal, "Mohon dipercepat")
    await send(order_deal.tailor_client, order_deal, "Siap, Bu")
    admin = await another(stack, app)
    await signed_in_admin(admin)
    page = (await admin.get(order_deal.url)).text
    assert "Mohon dipercepat" in page and "Siap, Bu" in page
    assert "Dewi Kirana (desainer)" in page and "Siti Rahayu (penjahit)" in page
    assert 'name="body"' not in page
    assert "wa.me" not in page
    fragment = await admin.get(thread_url(order_deal), headers=HX)
    assert fragment.status_code == 200 and "Siap, Bu" in fragment.text
    refused = await send(admin, order_deal, "Dari admin", headers=HX)
    assert refused.status_code == 403
    assert refusal_in_indonesian(TrackingError, "thread_read_only") in refused.text
    assert (await send(admin, order_deal, "Dari admin")).status_code == 403
    assert len(await messages_of(order_deal)) == 2
    # An admin reading marks nothing read for the tailor.
    assert (await messages_of(order_deal))[0]["read_at"] is None


async def test_unchanged_thread_poll_is_304_with_empty_body(order_deal: Deal) -> None:
    await send(order_deal.designer_client, order_deal, "Pagi")
    first = await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.replace('"', '\\"') in first.text  # the next poll sends it back
    again = await order_deal.tailor_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": tag}
    )
    assert again.status_code == 304
    assert again.content == b""


async def test_the_thread_poll_after_the_order_page_is_a_304(order_deal: Deal) -> None:
    """The page hands the thread the ETag its first poll sends back: unchanged, that poll is a
    304, so reading the page costs no second copy of the messages."""
    await send(order_deal.designer_client, order_deal, "Pagi")
    polled = await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    tag = polled.headers["etag"]
    page = await order_deal.tailor_client.get(order_deal.url)
    assert page.status_code == 200
    assert tag.replace('"', '\\"') in page.text
    again = await order_deal.tailor_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": tag}
    )
    assert again.status_code == 304


async def test_new_message_changes_the_etag(order_deal: Deal) -> None:
    first = await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    tag = first.headers["etag"]
    await send(order_deal.designer_client, order_deal, "Ada revisi ukuran")
    polled = await order_deal.tailor_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": tag}
    )
    assert polled.status_code == 200
    assert polled.headers["etag"] != tag
    assert "Ada revisi ukuran" in polled.text


async def test_read_marker_changes_the_senders_etag(order_deal: Deal) -> None:
    await send(order_deal.designer_client, order_deal, "Sudah dibaca?")
    first = await order_deal.designer_client.get(thread_url(order_deal), headers=HX)
    assert 'class="meta read"' not in first.text
    await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    polled = await order_deal.designer_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": first.headers["etag"]}
    )
    assert polled.status_code == 200 and 'class="meta read"' in polled.text


async def test_designer_and_tailor_get_different_etags(order_deal: Deal) -> None:
    await send(order_deal.designer_client, order_deal, "Halo")
    designer = await order_deal.designer_client.get(thread_url(order_deal), headers=HX)
    tailor = await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    assert designer.headers["etag"] != tailor.headers["etag"]
    crossed = await order_deal.tailor_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": designer.headers["etag"]}
    )
    assert crossed.status_code == 200


async def test_fragment_clears_the_bell_out_of_band(order_deal: Deal) -> None:
    await send(order_deal.designer_client, order_deal, "Cek foto ya")
    unread = await unread_count(order_deal.tailor_id)
    fragment = await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)
    assert 'id="bell"' in fragment.text and 'hx-swap-oob="true"' in fragment.text
    assert bell(unread - 1) in fragment.text
    assert (await message_alerts(order_deal.tailor_id))[0]["read_at"] is not None


async def test_plain_get_of_the_list_goes_to_the_order_page(order_deal: Deal) -> None:
    response = await order_deal.designer_client.get(thread_url(order_deal), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(order_deal.url)


async def test_whatsapp_link_goes_to_the_other_party(order_deal: Deal) -> None:
    designer_page = (await order_deal.designer_client.get(order_deal.url)).text
    assert f'href="https://wa.me/{TAILOR_DIGITS}?text=' in designer_page
    assert "Kemeja%20seragam%20kantor" in designer_page
    assert 'rel="noopener" target="_blank"' in designer_page
    tailor_page = (await order_deal.tailor_client.get(order_deal.url)).text
    assert f'href="https://wa.me/{DESIGNER_DIGITS}?text=' in tailor_page


async def test_empty_thread_says_what_to_do(order_deal: Deal) -> None:
    page = (await order_deal.designer_client.get(order_deal.url)).text
    assert "Belum ada pesan" in page
    assert 'data-poll="10"' in page and f'hx-get="{thread_url(order_deal)}"' in page
    assert "data-reset-on-success" in page


async def test_cancelled_order_refuses_new_messages(order_deal: Deal) -> None:
    await send(order_deal.designer_client, order_deal, "Sebelum batal")
    await Order.update({Order.status: OrderStatus.CANCELLED}).where(
        Order.public_id == order_deal.public_id
    )
    refused = await send(order_deal.tailor_client, order_deal, "Masih bisa?", headers=HX)
    assert refused.status_code == 409
    assert refusal_in_indonesian(TrackingError, "thread_closed") in refused.text
    page = await send(order_deal.tailor_client, order_deal, "Masih bisa?")
    assert (
        page.status_code == 409
        and refusal_in_indonesian(TrackingError, "thread_closed") in page.text
    )
    assert len(await messages_of(order_deal)) == 1
    view = (await order_deal.designer_client.get(order_deal.url)).text
    assert "Sebelum batal" in view and 'name="body"' not in view
    fragment = await order_deal.designer_client.get(thread_url(order_deal), headers=HX)
    assert "data-poll" not in fragment.text


async def test_polling_stops_two_weeks_after_completion(order_deal: Deal) -> None:
    await Order.update(
        {
            Order.status: OrderStatus.COMPLETED,
            Order.completed_at: datetime.now(UTC) - timedelta(days=3),
        }
    ).where(Order.public_id == order_deal.public_id)
    recent = await order_deal.designer_client.get(thread_url(order_deal), headers=HX)
    assert "data-poll" in recent.text
    assert (await send(order_deal.designer_client, order_deal, "Terima kasih!")).status_code == 303
    await Order.update({Order.completed_at: datetime.now(UTC) - timedelta(days=15)}).where(
        Order.public_id == order_deal.public_id
    )
    old = await order_deal.designer_client.get(
        thread_url(order_deal), headers={**HX, "If-None-Match": recent.headers["etag"]}
    )
    assert old.status_code == 200 and "data-poll" not in old.text


async def test_long_thread_shows_the_latest_fifty(order_deal: Deal) -> None:
    order = await order_deal.row()
    await Message.insert(
        *[
            Message(
                order=order["id"],
                sender=order_deal.designer_id,
                recipient=order_deal.tailor_id,
                body=f"Pesan nomor {number:02d}.",
            )
            for number in range(1, 56)
        ]
    )
    html = (await order_deal.tailor_client.get(thread_url(order_deal), headers=HX)).text
    assert "Pesan nomor 05." not in html and "Pesan nomor 06." in html
    assert html.index("Pesan nomor 06.") < html.index("Pesan nomor 55.")
    assert "5 pesan sebelumnya tidak ditampilkan" in html
