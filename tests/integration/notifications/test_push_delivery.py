"""One push from the outbox to a (local) push service, and what each answer leads to."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from server.notifications.sender import Sender
from server.notifications.tables import Delivery, Notification, PushSubscription
from server.notifications.vapid import VapidKeys
from server.notifications.worker import run_once
from tests.builders.push import (
    ICON,
    SUBJECT,
    notify_one,
    only_delivery,
    person,
    sender_for,
    subscribe,
)
from tests.push_receiver import PushReceiver, Reply

pytestmark = pytest.mark.usefixtures("clean_database")
LATER = timedelta(hours=2)  # past any backoff of the first attempts


async def test_push_arrives_with_exact_payload(receiver: PushReceiver, sender: Sender) -> None:
    account_id = await person()
    browser = await subscribe(account_id, receiver)
    await notify_one(account_id, title="Tahap produksi", body="Pola sudah dipotong", tag="order-42")

    assert await run_once(sender) == 1

    [push] = receiver.received
    assert push.endpoint == browser.endpoint
    assert push.payload() == {
        "title": "Tahap produksi",
        "body": "Pola sudah dipotong",
        "url": "/orders/42",
        "tag": "order-42",
        "icon": ICON,
    }
    delivery = await only_delivery()
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 1
    assert delivery["sent_at"] is not None
    subscription = await PushSubscription.select().first()
    assert subscription["last_success_at"] is not None


async def test_push_is_signed_with_vapid_for_the_push_service(
    receiver: PushReceiver, sender: Sender, vapid_keys: VapidKeys
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    await notify_one(account_id)

    await run_once(sender)

    assert len(receiver.received) == 2
    for push in receiver.received:
        vapid = push.vapid()
        assert vapid.key == vapid_keys.public_key
        assert vapid.claims["aud"] == receiver.origin
        assert vapid.claims["sub"] == SUBJECT


@pytest.mark.parametrize(
    ("kind", "ttl", "urgency"),
    [("order_update", "86400", "normal"), ("account", "604800", "normal")],
)
async def test_push_headers_carry_ttl_urgency_and_topic(
    receiver: PushReceiver, sender: Sender, kind: str, ttl: str, urgency: str
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id, kind, tag="order:42/status")

    await run_once(sender)

    [push] = receiver.received
    assert push.headers["ttl"] == ttl
    assert push.headers["urgency"] == urgency
    assert push.headers["topic"] == "order-42-status"
    assert push.headers["content-encoding"] == "aes128gcm"


async def test_new_order_is_pushed_urgently_without_topic_when_untagged(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id, "new_order")

    await run_once(sender)

    [push] = receiver.received
    assert push.headers["ttl"] == "14400"
    assert push.headers["urgency"] == "high"
    assert "topic" not in push.headers


@pytest.mark.parametrize(
    ("kind", "ttl", "urgency"),
    [
        ("new_order", "14400", "high"),
        ("offer", "86400", "normal"),
        ("order_update", "86400", "normal"),
        ("message", "86400", "normal"),
        ("account", "604800", "normal"),
        ("fitting", "86400", "normal"),  # a kind of a newer release than this one
    ],
)
async def test_each_kind_is_pushed_with_the_push_channels_ttl_and_urgency(
    receiver: PushReceiver, sender: Sender, kind: str, ttl: str, urgency: str
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    notification = await Notification.insert(
        Notification(account=account_id, kind=kind, title="Kabar", url="/orders/42")
    ).returning(Notification.id)
    device = await PushSubscription.select(PushSubscription.id).first()
    await Delivery.insert(
        Delivery(notification=notification[0]["id"], push_subscription=device["id"])
    )

    assert await run_once(sender) == 1

    [push] = receiver.received
    assert (push.headers["ttl"], push.headers["urgency"]) == (ttl, urgency)
    assert push.payload()["title"] == "Kabar"


@pytest.mark.parametrize("status", [404, 410])
async def test_gone_subscription_is_deleted_with_its_deliveries(
    receiver: PushReceiver, sender: Sender, status: int
) -> None:
    account_id = await person()
    gone = await subscribe(account_id, receiver)
    kept = await subscribe(account_id, receiver)
    await notify_one(account_id)
    receiver.answer(status, endpoint=gone.endpoint)

    await run_once(sender)

    assert len(receiver.received) == 2
    assert [row["endpoint"] for row in await PushSubscription.select()] == [kept.endpoint]
    assert [row["status"] for row in await Delivery.select()] == ["sent"]
    assert await Notification.count() == 1  # the in-app list keeps it


async def test_too_many_requests_waits_for_retry_after(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    receiver.answer(Reply(429, {"Retry-After": "600"}))
    now = datetime.now(UTC)

    await run_once(sender, now=now)

    delivery = await only_delivery()
    assert delivery["status"] == "pending"
    assert delivery["next_attempt_at"] == now + timedelta(seconds=600)
    assert "429" in delivery["last_error"]
    assert await run_once(sender, now=now + timedelta(seconds=599)) == 0
    assert await run_once(sender, now=now + timedelta(seconds=600)) == 1
    assert len(receiver.received) == 2
    delivery = await only_delivery()
    assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == ("sent", 2, "")


async def test_retry_after_may_be_an_http_date(receiver: PushReceiver, sender: Sender) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    now = datetime.now(UTC).replace(microsecond=0)
    receiver.answer(Reply(503, {"Retry-After": format_datetime(now + LATER, usegmt=True)}))

    await run_once(sender, now=now)

    delivery = await only_delivery()
    assert (delivery["status"], delivery["next_attempt_at"]) == ("pending", now + LATER)


async def test_server_error_is_retried_with_backoff_then_sent(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    receiver.answer(500)
    now = datetime.now(UTC)

    await run_once(sender, now=now)

    delivery = await only_delivery()
    assert delivery["status"] == "pending"
    wait = delivery["next_attempt_at"] - now
    assert timedelta(seconds=60) <= wait <= timedelta(seconds=90)
    assert await run_once(sender, now=now + LATER) == 1
    assert (await only_delivery())["status"] == "sent"
    assert [push.status for push in receiver.received] == [500, 201]


async def test_client_error_dead_letters_at_once(receiver: PushReceiver, sender: Sender) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    receiver.answer(400)

    await run_once(sender)

    delivery = await only_delivery()
    assert delivery["status"] == "dead"
    assert "400" in delivery["last_error"]
    assert await run_once(sender, now=datetime.now(UTC) + LATER) == 0
    assert await PushSubscription.count() == 1


async def test_five_server_errors_dead_letter_with_the_last_error(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)
    receiver.answer(500, 502, 503, 500, 504)
    now = datetime.now(UTC)

    for attempt in range(5):
        assert await run_once(sender, now=now + attempt * LATER) == 1

    delivery = await only_delivery()
    assert delivery["status"] == "dead"
    assert delivery["attempts"] == 5
    assert "504" in delivery["last_error"]
    assert "gave up after 5 attempts" in delivery["last_error"]
    assert await run_once(sender, now=now + 10 * LATER) == 0
    assert len(receiver.received) == 5


async def test_unreachable_push_service_is_retried(vapid_keys: VapidKeys) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{closed.getsockname()[1]}/push/gone-away"
    with PushReceiver() as receiver:
        account_id = await person()
        browser = await subscribe(account_id, receiver)
    await PushSubscription.update({PushSubscription.endpoint: nobody}).where(
        PushSubscription.endpoint == browser.endpoint
    )
    await notify_one(account_id)

    async with sender_for(vapid_keys, allow_local=True, timeout=2.0) as sender:
        await run_once(sender)

    delivery = await only_delivery()
    assert delivery["status"] == "pending"
    assert "ClientConnectorError" in delivery["last_error"]
