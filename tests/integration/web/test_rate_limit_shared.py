"""Rate limits counted in the database: the same GCRA as the in-memory limiter, shared by every
process on the database, proved over HTTP with two `clothingline serve` processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.stores.memory import MemoryStore
from py_vapid import Vapid02

from server.db import close_database, current_engine, open_database
from server.settings import HOUR, MINUTE, PROJECT_ROOT, Limit, RateLimits
from server.web.ratelimit import DatabaseRateLimiter, RateLimiter
from server.web.tables import RateLimitCounter
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES
from tests.processes import free_port


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def limiter(database_url: str, clock: Clock) -> DatabaseRateLimiter:
    postgres = database_url.startswith("postgresql://")
    return DatabaseRateLimiter(RateLimits(), postgres=postgres, clock=clock)


THREE = Limit(3, MINUTE, burst=3)  # a burst of three, then one every 20 seconds
ONE = Limit(1, HOUR, burst=1)


async def test_a_burst_then_one_per_interval(clean_database: str) -> None:
    clock = Clock()
    limits = limiter(clean_database, clock)
    assert [await limits.hit([("k", THREE)]) for _ in range(3)] == [None, None, None]
    assert await limits.hit([("k", THREE)]) == 20
    clock.now += 19
    assert await limits.hit([("k", THREE)]) == 1
    clock.now += 1
    assert await limits.hit([("k", THREE)]) is None
    assert await limits.hit([("k", THREE)]) == 20
    assert await limits.hit([("other", THREE)]) is None


async def test_answers_as_the_in_memory_limiter_does(clean_database: str) -> None:
    clocks = Clock(), Clock()
    shared = limiter(clean_database, clocks[0])
    memory = RateLimiter(MemoryStore(), RateLimits(), clock=clocks[1])
    answers: list[tuple[int | None, int | None]] = []
    for step in range(40):
        keyed = [("a", THREE), ("b", Limit(5, MINUTE, burst=2))][: 1 + step % 2]
        answers.append((await shared.hit(keyed), await memory.hit(keyed)))
        for clock in clocks:
            clock.now += 3.5
    assert all(left == right for left, right in answers), answers
    assert any(left is not None for left, _ in answers)


async def test_a_refused_request_charges_none_of_its_keys(clean_database: str) -> None:
    clock = Clock()
    limits = limiter(clean_database, clock)
    assert await limits.hit([("phone", ONE)]) is None
    for _ in range(5):
        assert await limits.hit([("client", THREE), ("phone", ONE)]) == HOUR
    # The refusals charged nothing to the client key: its whole burst is left.
    assert [await limits.hit([("client", THREE)]) for _ in range(4)] == [None, None, None, 20]


async def test_spent_rows_are_pruned(clean_database: str) -> None:
    clock = Clock()
    limits = limiter(clean_database, clock)
    for key in ("a", "b", "c"):
        await limits.hit([(key, THREE)])
    assert await RateLimitCounter.count() == 3
    clock.now += DatabaseRateLimiter.PRUNE_EVERY + 21
    await limits.hit([("d", THREE)])
    assert await RateLimitCounter.select(RateLimitCounter.key).output(as_list=True) == ["d"]


async def test_a_generous_limit_lets_a_thousand_hits_on_one_key_through(
    clean_database: str,
) -> None:
    """1,000 hits on one key, as served (WAL on SQLite, a pool on PostgreSQL), all let through
    under a limit that allows them, as the memory store does."""
    engine = current_engine()
    await open_database(engine, pool_size=2)
    try:
        limits = limiter(clean_database, Clock())
        memory = RateLimiter(MemoryStore(), RateLimits())
        generous = Limit(100_000, MINUTE, burst=100_000)
        for each in (limits, memory):
            refusals = [await each.hit([("client:203.0.113.7", generous)]) for _ in range(1000)]
            assert refusals == [None] * 1000
    finally:
        await close_database(engine)


# Two processes over HTTP ----------------------------------------------------------------------

ATTEMPTS = 4  # sign-in requests allowed in total from one address, across both processes


def serve(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    env = {**env, "PUBLIC_ORIGIN": f"http://localhost:{port}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=url, timeout=5) as probe:
            while True:
                assert process.poll() is None, process.communicate()[1]
                try:
                    if probe.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "clothingline serve did not start"
                threading.Event().wait(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def two_servers(clean_database: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    vapid = Vapid02()
    vapid.generate_keys()
    env |= {
        "DATABASE_URL": clean_database,
        "SECRET_KEY": "one-secret-for-every-process",
        "VAPID_PRIVATE_KEY": vapid.private_pem().decode(),
        "PUSH_WORKER": "0",
        "RATE_LIMIT_SIGN_IN_PER_CLIENT": f"{ATTEMPTS}/hour,{ATTEMPTS}",
    }
    if clean_database.startswith("sqlite:"):
        env["RATE_LIMIT_STORE"] = "database"  # the default on PostgreSQL; SQLite opts in
    # Each process has a DATA_DIR of its own, as on two hosts.
    first = serve({**env, "DATA_DIR": str(tmp_path / "one")})
    second = serve({**env, "DATA_DIR": str(tmp_path / "two")})
    yield next(first), next(second)
    for server in (second, first):
        next(server, None)


def test_the_limit_holds_across_two_processes(two_servers: tuple[str, str]) -> None:
    answers = [
        httpx.get(f"{two_servers[attempt % 2]}/enrol/not-a-real-token", timeout=10).status_code
        for attempt in range(ATTEMPTS + 2)
    ]
    assert answers == [410] * ATTEMPTS + [429, 429]
