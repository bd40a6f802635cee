"""The outbox's move from `push_delivery` to the channel-neutral `delivery`, on a database that
had deliveries waiting: none is lost, and the worker sends them afterwards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.querystring import QueryString

from server.accounts.tables import Account, Role
from server.db import current_engine, migrate, use_database
from server.notifications.sender import Sender
from server.notifications.tables import Channel, Delivery, Notification, PushSubscription
from server.notifications.worker import run_once
from tests.builders.push import notify_one
from tests.conftest import create_postgres, drop_postgres
from tests.push_receiver import PushReceiver

BEFORE = "2026-11-28T11:31:50:806771"  # the notifications app's first migration


@pytest.fixture
async def scratch_database(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the engine under test, used instead of the shared one."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'outbox.sqlite'}"
    else:
        base, name = database_url.rsplit("/", 1)
        url = f"{base}/{name}_outbox"
        await drop_postgres(database_url, f"{name}_outbox")
        await create_postgres(database_url, f"{name}_outbox")
    use_database(url)
    try:
        yield url
    finally:
        use_database(database_url)
        if not url.startswith("sqlite"):
            await drop_postgres(database_url, url.rsplit("/", 1)[1])


async def run(sql: str, *values: object) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = await current_engine().run_querystring(
        QueryString(sql, *values)
    )
    return rows


async def test_pending_pushes_survive_the_move_and_are_sent(
    scratch_database: str, receiver: PushReceiver, sender: Sender
) -> None:
    for app in ("accounts", "auth"):
        assert (await run_forwards(app)).success
    assert (await run_forwards("notifications", migration_id=BEFORE)).success
    account = await Account.insert(
        Account(
            role=Role.TAILOR,
            name="Siti Rahayu",
            phone="+6281234567890",
            locale="id",
            webauthn_user_id=secrets.token_urlsafe(32),
        )
    ).returning(Account.id)
    browser = receiver.browser().subscription()
    device = await PushSubscription.insert(
        PushSubscription(
            account=account[0]["id"],
            endpoint=browser["endpoint"],
            p256dh=browser["keys"]["p256dh"],
            auth=browser["keys"]["auth"],
        )
    ).returning(PushSubscription.id)
    notification = await Notification.insert(
        Notification(account=account[0]["id"], kind="order_update", title="Tahap produksi")
    ).returning(Notification.id)
    due = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    for status, attempts, error in [("sent", 1, ""), ("pending", 2, "HTTP 503")]:
        await run(
            "INSERT INTO push_delivery (notification, subscription, status, attempts,"
            " next_attempt_at, last_error) VALUES ({}, {}, {}, {}, {}, {})",
            notification[0]["id"],
            device[0]["id"],
            status,
            attempts,
            due,
            error,
        )

    await migrate()  # the rest, this move included

    rows = await Delivery.select().order_by(Delivery.id)
    assert [
        (row["id"], row["channel"], row["push_subscription"], row["status"], row["attempts"])
        for row in rows
    ] == [
        (1, Channel.PUSH, device[0]["id"], "sent", 1),
        (2, Channel.PUSH, device[0]["id"], "pending", 2),
    ]
    assert rows[1]["next_attempt_at"] == due
    assert rows[1]["last_error"] == "HTTP 503"
    assert not await run(
        "SELECT name FROM sqlite_master WHERE name = 'push_delivery'"
        if scratch_database.startswith("sqlite")
        else "SELECT tablename AS name FROM pg_tables WHERE tablename = 'push_delivery'"
    )

    assert await run_once(sender, now=due + timedelta(hours=2)) == 1
    [push] = receiver.received
    assert push.payload()["title"] == "Tahap produksi"
    assert (await Delivery.select(Delivery.status).where(Delivery.id == 2).first()) == {
        "status": "sent"
    }
    # New deliveries carry on from the old ids.
    await notify_one(account[0]["id"])
    assert [row["id"] for row in await Delivery.select(Delivery.id).order_by(Delivery.id)] == [
        1,
        2,
        3,
    ]
