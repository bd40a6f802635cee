"""The worker: race-free claims, crash recovery, the background task and the command."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from py_vapid import Vapid02

from server.app import create_app
from server.db import current_engine
from server.notifications.outbox import Result
from server.notifications.sender import Push, Sender
from server.notifications.tables import Delivery, DeliveryStatus
from server.notifications.vapid import VapidKeys
from server.notifications.worker import claim_due, reclaim_stuck, run_once, running
from server.settings import PROJECT_ROOT, Settings
from tests.builders.push import ICON, deliveries, notify_one, person, subscribe
from tests.push_receiver import PushReceiver

pytestmark = pytest.mark.usefixtures("clean_database")
STUCK = timedelta(minutes=6)


async def outbox(receiver: PushReceiver, phones: int, notifications: int) -> list[int]:
    """`phones` subscribed browsers of one person, `notifications` alerts to each."""
    account_id = await person()
    for _ in range(phones):
        await subscribe(account_id, receiver)
    for _ in range(notifications):
        await notify_one(account_id)
    return [row["id"] for row in await deliveries()]


async def eventually(check: Callable[[], Any], within: float = 10.0) -> None:
    """Wait until `check()` (a value, or something to await) is true."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_concurrent_claims_take_each_row_exactly_once(receiver: PushReceiver) -> None:
    ids = await outbox(receiver, phones=4, notifications=15)

    async def drain() -> list[int]:
        claimed: list[int] = []
        while batch := await claim_due(7):
            claimed += [delivery.id for delivery in batch]
        return claimed

    claims = await asyncio.gather(*(drain() for _ in range(6)))

    every_claim = [delivery_id for claim in claims for delivery_id in claim]
    assert sorted(every_claim) == ids
    if current_engine().engine_type == "postgres":
        # SQLite serialises claims, so one drainer may legitimately take every batch.
        assert sum(1 for claim in claims if claim) >= 2  # the workers did share the work


async def test_two_workers_send_each_push_exactly_once(
    receiver: PushReceiver, sender: Sender
) -> None:
    ids = await outbox(receiver, phones=5, notifications=8)

    while sum(await asyncio.gather(run_once(sender, limit=6), run_once(sender, limit=6))):
        pass

    assert len(receiver.received) == len(ids) == 40
    assert set(Counter(push.endpoint for push in receiver.received).values()) == {8}
    rows = await deliveries()
    assert {(row["status"], row["attempts"]) for row in rows} == {("sent", 1)}


class HangingSender(Sender):
    """A worker that stops answering mid-batch (a crash, an OOM kill, a pulled plug)."""

    async def send(self, push: Push, now: datetime) -> Result:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
    receiver: PushReceiver, sender: Sender
) -> None:
    ids = await outbox(receiver, phones=2, notifications=3)
    crashed = HangingSender(**{f.name: getattr(sender, f.name) for f in dataclasses.fields(sender)})
    doomed = asyncio.create_task(run_once(crashed))

    async def all_claimed() -> bool:
        rows = await deliveries()
        return {row["status"] for row in rows} == {DeliveryStatus.SENDING}

    await eventually(all_claimed)
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    now = datetime.now(UTC)

    assert await run_once(sender) == 0  # claimed rows are nobody else's...
    assert await reclaim_stuck(now=now) == 0  # ...until they have been stuck for long
    assert await reclaim_stuck(now=now + STUCK) == len(ids)
    assert await run_once(sender) == len(ids)

    assert len(receiver.received) == len(ids)
    assert len({push.endpoint for push in receiver.received}) == 2
    rows = await deliveries()
    assert {(row["status"], row["attempts"]) for row in rows} == {("sent", 2)}


async def test_claim_then_abandon_is_reclaimed(receiver: PushReceiver, sender: Sender) -> None:
    ids = await outbox(receiver, phones=1, notifications=3)
    abandoned = await claim_due(10)
    assert [delivery.id for delivery in abandoned] == ids

    await reclaim_stuck(timedelta(0), now=datetime.now(UTC) + timedelta(seconds=1))
    await run_once(sender)

    assert len(receiver.received) == 3
    assert await Delivery.count().where(Delivery.status == "sent") == 3


async def test_running_worker_sends_what_arrives_and_stops_cleanly(
    receiver: PushReceiver, vapid_keys: VapidKeys
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    daily_runs: list[int] = []

    async def daily_job() -> None:
        daily_runs.append(1)

    async with running(vapid_keys, ICON, daily=[daily_job], allow_local_endpoints=True) as task:
        await notify_one(account_id)
        await eventually(lambda: len(receiver.received) == 1)
        await eventually(lambda: Delivery.exists().where(Delivery.status == "sent"))

    assert task.done() and not task.cancelled() and task.exception() is None
    assert daily_runs == [1]
    assert receiver.received[0].payload()["icon"] == ICON


async def test_app_runs_the_worker_in_process_when_asked(
    receiver: PushReceiver, settings: Settings
) -> None:
    # The local receiver is on loopback: allowed explicitly, as PUSH_ALLOW_LOCAL_ENDPOINTS does.
    app = create_app(
        dataclasses.replace(settings, push_worker=True, push_allow_local_endpoints=True)
    )
    account_id = await person()
    await subscribe(account_id, receiver)

    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/healthz")).status_code == 200
        await notify_one(account_id)
        await eventually(lambda: len(receiver.received) == 1)

    vapid = receiver.received[0].vapid()
    assert vapid.key == app.state.vapid.public_key
    assert receiver.received[0].payload()["icon"].endswith("/icons/icon-192.png")


def vapid_private_pem() -> str:
    keys = Vapid02()
    keys.generate_keys()
    return str(keys.private_pem().decode())


async def test_worker_command_sends_and_stops_on_sigterm(
    receiver: PushReceiver, clean_database: str, tmp_path: Path
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    env = {
        **os.environ,
        "DATABASE_URL": clean_database,
        "DATA_DIR": str(tmp_path),
        "DATABASE_POOL_SIZE": "2",
        "LOG_LEVEL": "WARNING",
        "PUSH_ALLOW_LOCAL_ENDPOINTS": "1",  # the local receiver; PUBLIC_ORIGIN is localhost
        # Required on PostgreSQL, where several processes share them.
        "SECRET_KEY": "one-secret-for-every-process",
        "VAPID_PRIVATE_KEY": vapid_private_pem(),
    }
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server",
        "worker",
        env=env,
        cwd=PROJECT_ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await notify_one(account_id)
        await eventually(lambda: len(receiver.received) == 1, within=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, errors = await asyncio.wait_for(worker.communicate(), 20)
    assert worker.returncode == 0, errors.decode()
    assert (await deliveries())[0]["status"] == "sent"
