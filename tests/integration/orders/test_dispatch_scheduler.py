"""The housekeeping loop: due waves, expired orders and certificates, from any process."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from server import jobs as scheduler
from server.app import create_app
from server.orders.assignment.services import take
from server.orders.dispatching.waves import DispatchSettings
from server.orders.tables import DispatchDecision, Order
from server.settings import Settings
from server.tailors.services import today
from server.tailors.tables import TailorProfile
from tests.builders.orders import published
from tests.builders.people import designer, tailor
from tests.conftest import make_settings
from tests.integration.orders.test_dispatch import alerted, new_order_notifications, reload

TEN_MINUTES = DispatchSettings(wave_size=50, wave_interval=timedelta(minutes=10))
ROOT = Path(__file__).resolve().parents[3]

# A worker process that starts from nothing but the database, runs one tick and exits.
FRESH_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import datetime, timedelta
    from server.db import use_database
    from server.jobs import tick
    from server.orders.dispatching.waves import DispatchSettings

    use_database(sys.argv[1])
    done = asyncio.run(
        tick(DispatchSettings(50, timedelta(minutes=10)), datetime.fromisoformat(sys.argv[2]))
    )
    print([(wave.wave, wave.radius_km, wave.alerted) for wave in done.waves])
    """
)


def tick_in_a_fresh_process(database_url: str, at: datetime) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", FRESH_WORKER, database_url, at.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


async def test_a_restarted_worker_continues_the_waves_from_the_database(
    clean_database: str,
) -> None:
    owner = await designer()
    first, second, third = await tailor(km=3.0), await tailor(km=7.0), await tailor(km=15.0)
    order = await published(owner, TEN_MINUTES)

    out = await asyncio.to_thread(
        tick_in_a_fresh_process, clean_database, order.next_wave_at + timedelta(seconds=1)
    )

    assert out == f"[(2, 10, [{second}])]"
    order = await reload(order)
    assert (order.dispatch_wave, order.dispatch_radius_km) == (2, 10)
    # Back in this process: nothing about wave 2 was kept in memory here.
    done = await scheduler.tick(TEN_MINUTES, order.next_wave_at)
    assert [(wave.wave, wave.alerted) for wave in done.waves] == [(3, [third])]
    assert await alerted(order.id) == [first, second, third]
    assert [n["account"] for n in await new_order_notifications()] == [first, second, third]


async def test_tick_expires_orders_past_their_deadline_and_lapsed_certificates(
    clean_database: str,
) -> None:
    owner = await designer()
    lapsing = await tailor(km=1.0)
    await TailorProfile.update({TailorProfile.certificate_expires_on: today()}).where(
        TailorProfile.account == lapsing
    )
    short = await published(owner, TEN_MINUTES, deadline=today() + timedelta(days=2))
    long = await published(owner, TEN_MINUTES, deadline=today() + timedelta(days=30))
    day_after_deadline = datetime.combine(
        today() + timedelta(days=3), datetime.min.time(), tzinfo=short.next_wave_at.tzinfo
    )

    done = await scheduler.tick(TEN_MINUTES, day_after_deadline)

    assert done.expired_orders == [short.id]
    assert done.expired_certificates == [lapsing]
    assert (await reload(short)).status == "expired"
    assert (await reload(long)).status == "open"
    profile = await TailorProfile.select().where(TailorProfile.account == lapsing).first()
    assert profile is not None
    assert (profile["verification"], profile["available"]) == ("expired", False)
    # The long order's second wave found nobody eligible: the only tailor just lapsed.
    assert [(wave.wave, wave.alerted) for wave in done.waves] == [(2, [])]


async def test_an_idle_tick_changes_nothing(clean_database: str) -> None:
    owner = await designer()
    await tailor(km=1.0)
    order = await published(owner, TEN_MINUTES)

    done = await scheduler.tick(TEN_MINUTES, order.published_at + timedelta(minutes=1))

    assert done == scheduler.Tick()
    assert await DispatchDecision.count() == 1


async def test_the_loop_sends_waves_that_fell_due(clean_database: str) -> None:
    owner = await designer()
    await tailor(km=1.0)
    farther = await tailor(km=8.0)
    order = await published(owner, TEN_MINUTES)
    await Order.update({Order.next_wave_at: order.published_at}).where(Order.id == order.id)

    async with scheduler.housekeeping(TEN_MINUTES, interval=0.05):
        await wait_for_wave(order, 2)

    assert farther in await alerted(order.id)


async def test_the_app_runs_the_loop_with_its_push_worker(
    clean_database: str, tmp_path: Path
) -> None:
    settings: Settings = dataclasses.replace(
        make_settings(clean_database, tmp_path / "data"), push_worker=True
    )
    owner = await designer()
    await tailor(km=1.0)
    order = await published(owner, TEN_MINUTES)
    await Order.update({Order.next_wave_at: order.published_at}).where(Order.id == order.id)

    async with AsyncTestClient(app=create_app(settings)):
        await wait_for_wave(order, 2)


async def test_a_serve_process_without_background_work_says_so_at_start_up(
    clean_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(clean_database, tmp_path / "data")  # PUSH_WORKER=0
    assert not settings.push_worker
    owner = await designer()
    await tailor(km=1.0)
    order = await published(owner, TEN_MINUTES)
    await Order.update({Order.next_wave_at: order.published_at}).where(Order.id == order.id)

    with jobs_log(caplog):
        async with AsyncTestClient(app=create_app(settings)):
            await asyncio.sleep(0.3)

    warnings = [r for r in caplog.records if r.name == "server.jobs" and r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "PUSH_WORKER=0" in warnings[0].getMessage()
    assert "clothingline worker" in warnings[0].getMessage()
    assert (await reload(order)).dispatch_wave == 1  # and indeed no housekeeping ran


async def test_a_serve_process_with_its_background_work_gives_no_warning(
    clean_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dataclasses.replace(
        make_settings(clean_database, tmp_path / "data"), push_worker=True
    )
    with jobs_log(caplog):
        async with AsyncTestClient(app=create_app(settings)):
            pass
    assert scheduler.NO_BACKGROUND_WORK not in caplog.text


async def test_waves_stop_for_an_order_a_tailor_took_meanwhile(clean_database: str) -> None:
    owner = await designer()
    taker = await tailor(km=1.0)
    order = await published(owner, TEN_MINUTES, mode="direct")
    await take(taker, order.public_id)

    done = await scheduler.tick(TEN_MINUTES, order.next_wave_at + timedelta(hours=1))

    assert done.waves == []
    assert (await reload(order)).dispatch_wave == 1


def test_wave_settings_come_from_the_environment(tmp_path: Path) -> None:
    defaults = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert DispatchSettings.from_settings(defaults) == DispatchSettings(
        wave_size=50, wave_interval=timedelta(minutes=10)
    )
    chosen = Settings.from_env(
        {"DATA_DIR": str(tmp_path), "DISPATCH_WAVE_MINUTES": "3", "DISPATCH_WAVE_SIZE": "20"}
    )
    assert DispatchSettings.from_settings(chosen) == DispatchSettings(
        wave_size=20, wave_interval=timedelta(minutes=3)
    )


@contextlib.contextmanager
def jobs_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Capture server.jobs' records on the logger itself: the app's logging set-up replaces the
    root logger's handlers, caplog's among them."""
    logger = logging.getLogger("server.jobs")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="server.jobs"):
            yield
    finally:
        logger.removeHandler(caplog.handler)


async def wait_for_wave(order: dict[str, object], wave: int) -> None:
    for _attempt in range(200):
        if (await reload(order)).dispatch_wave >= wave:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"wave {wave} did not go out within 10 s")
