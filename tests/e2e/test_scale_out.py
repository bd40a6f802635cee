"""Scaled out as deploy/ describes it, on PostgreSQL: two `clothingline serve` processes and one
`clothingline worker` behind haproxy act as one service. A form from one process posts through
the other, a client has one rate limit whichever process answers (and cannot choose its address
by sending the proxy's header), one of fifty tailors wins a Langsung order, the worker sends a
due dispatch wave once, and haproxy keeps answering when a process is killed."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from server.auth.sessions import SESSION_COOKIE, start_session
from server.clock import now
from server.db import close_database, current_engine, migrate, open_database, use_database
from server.notifications.kinds import AlertKind
from server.notifications.tables import Notification
from server.orders.offers import services as orders
from server.orders.records import OrderRecord
from server.orders.tables import DispatchDecision, Order
from tests.builders.orders import published
from tests.builders.people import designer, tailor
from tests.conftest import create_postgres, drop_postgres, run_async
from tests.e2e.deployment import Deployment, deployed, relayed
from tests.e2e.races import at_once, no_server_errors
from tests.processes import wait_until

# The deployment is about PostgreSQL, which CI always has (TEST_DATABASE_URL): no SQLite run.
POSTGRESQL_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
TAILORS = 50
NEAR_KM = [1.0 + number / 25 for number in range(TAILORS)]  # all in the first wave (5 km)
FAR_KM = [7.0, 8.0, 9.0]  # in the second wave (10 km) only
SIGN_IN_ATTEMPTS = 4  # per client address, at once: the deployment's sign-in limit
PHONE = "Mozilla/5.0 (Linux; Android 13) Chrome/120"
# A connection per request: one kept idle longer than uvicorn keeps it open (5 s) could be
# closed under the next request, which is not what these tests are about.
FRESH = httpx.Limits(max_keepalive_connections=0)


@pytest.fixture
def scale_out_database(database_url: str, suite_database: None) -> Iterator[str]:
    """A database of its own beside the suite's, migrated, for every process of the test."""
    base, name = database_url.rsplit("/", 1)
    own = f"{name}_scale_out"
    run_async(lambda: drop_postgres(database_url, own))
    run_async(lambda: create_postgres(database_url, own))
    url = f"{base}/{own}"
    use_database(url)
    try:
        run_async(migrate)
        yield url
    finally:
        run_async(lambda: drop_postgres(database_url, own))


@dataclass
class People:
    designer: int
    near: list[int]
    far: list[int]
    waiting: OrderRecord  # nobody answered it: its second wave is due


@asynccontextmanager
async def pooled() -> AsyncIterator[None]:
    """Connections kept for this loop's queries: each no longer connects anew."""
    engine = current_engine()
    await open_database(engine, pool_size=4)
    try:
        yield
    finally:
        await close_database(engine)


async def people_and_a_due_wave() -> People:
    async with pooled():
        return await people_with_an_order_waiting()


async def people_with_an_order_waiting() -> People:
    owner = await designer()
    near = [await tailor(km=km, name=f"Penjahit {n}") for n, km in enumerate(NEAR_KM)]
    far = [await tailor(km=km, name=f"Penjahit jauh {n}") for n, km in enumerate(FAR_KM)]
    waiting = await published(owner, mode="bidding", title="Seragam sekolah")
    await Order.update({Order.next_wave_at: now() - timedelta(minutes=1)}).where(
        Order.id == waiting.id
    )
    return People(owner, near, far, waiting)


def client_at(address: str, base_url: str) -> httpx.Client:
    """A client on its own loopback address (all of 127.0.0.0/8 is this machine)."""
    transport = httpx.HTTPTransport(local_address=address, limits=FRESH)
    return httpx.Client(base_url=base_url, transport=transport, timeout=30)


async def second_waves(order: OrderRecord) -> int:
    return await Order.count().where((Order.id == order.id) & (Order.dispatch_wave == 2))


async def alerts_about(order: OrderRecord) -> tuple[Counter[int], Counter[tuple[int, int]]]:
    """New-order alerts per tailor, and the alerted decisions per (tailor, wave)."""
    alerts = await Notification.select(Notification.account).where(
        (Notification.kind == AlertKind.NEW_ORDER)
        & (Notification.url == f"/orders/{order.public_id}")
    )
    decisions = await DispatchDecision.select(DispatchDecision.tailor, DispatchDecision.wave).where(
        (DispatchDecision.order == order.id) & (DispatchDecision.outcome == "alerted")
    )
    return (
        Counter(row["account"] for row in alerts),
        Counter((row["tailor"], row["wave"]) for row in decisions),
    )


def the_worker_alone_sends_the_due_wave(deployment: Deployment, people: People) -> None:
    wait_until(
        lambda: "housekeeping: 1 waves" in deployment.worker.log.read_text(),
        "the worker sends the due second wave",
        deployment.processes,
    )
    assert run_async(lambda: second_waves(people.waiting)) == 1
    for serve in deployment.serve:
        log = serve.log.read_text()
        assert "PUSH_WORKER=0: this process sends no pushes" in log
        assert "housekeeping:" not in log


def the_wave_went_out_once(people: People) -> None:
    alerts, decisions = run_async(lambda: alerts_about(people.waiting))
    assert alerts == Counter(people.near + people.far)
    assert decisions == Counter(
        [(account, 1) for account in people.near] + [(account, 2) for account in people.far]
    )


def sign_in_options(client: httpx.Client, backend: str, token: str | None) -> int:
    headers = {"x-csrftoken": token} if token else {}
    return client.post(f"{backend}/auth/login/options", json={}, headers=headers).status_code


def a_form_from_one_backend_posts_through_the_other(deployment: Deployment) -> None:
    """The sign-in page's CSRF token is the processes' shared SECRET_KEY at work."""
    first, second = deployment.backends
    for address, (fetched_from, posted_to) in [
        ("127.0.0.11", (first, second)),
        ("127.0.0.12", (second, first)),
    ]:
        with client_at(address, fetched_from) as browser:
            assert browser.get("/login").status_code == 200
            token = browser.cookies["csrftoken"]
            assert sign_in_options(browser, posted_to, None) == 403
            assert sign_in_options(browser, posted_to, token) == 200
    # Through the balancer, which takes turns: the same token is good on both processes.
    with client_at("127.0.0.13", deployment.balancer) as browser:
        assert browser.get("/login").status_code == 200
        token = browser.cookies["csrftoken"]
        assert [sign_in_options(browser, "", token) for _turn in range(4)] == [200] * 4
    for serve in deployment.serve:
        assert set(relayed(serve, "127.0.0.13", "POST /auth/login/options")) == {200}


def enrol(client: httpx.Client, url: str = "", **headers: str) -> int:
    return client.get(f"{url}/enrol/not-a-real-token", headers=headers).status_code


def each_client_has_one_limit_whichever_backend_answers(deployment: Deployment) -> None:
    allowed = [410] * SIGN_IN_ATTEMPTS
    with (
        client_at("127.0.0.2", deployment.balancer) as one,
        client_at("127.0.0.3", deployment.balancer) as another,
    ):
        # The balancer takes turns between the processes: they count in one store.
        assert [enrol(one) for _n in range(SIGN_IN_ATTEMPTS + 2)] == [*allowed, 429, 429]
        # Behind the same balancer another client has a limit of its own.
        assert [enrol(another) for _n in range(SIGN_IN_ATTEMPTS + 1)] == [*allowed, 429]
        for serve in deployment.serve:
            # Each process let through fewer than the limit, and refused the rest.
            assert set(relayed(serve, "127.0.0.2", "GET /enrol/")) == {410, 429}
        # A client naming another address is still itself, through the balancer (which adds
        # the address it sees) and straight to a process (which trusts no header from it).
        spoofed = {"X-Forwarded-For": "198.51.100.7", "Forwarded": "for=198.51.100.7"}
        assert enrol(one, **spoofed) == 429
        for backend in deployment.backends:
            assert enrol(one, backend) == 429
            assert enrol(one, backend, **spoofed) == 429
    with client_at("127.0.0.4", deployment.balancer) as third:
        assert enrol(third, **spoofed) == 410


async def one_of_fifty_tailors_wins_through_the_balancer(
    deployment: Deployment, people: People
) -> None:
    async with pooled():
        order = await published(people.designer, mode="direct")
        tokens = [await start_session(account, PHONE, "passkey") for account in people.near]
    phones = [
        httpx.AsyncClient(
            base_url=deployment.balancer,
            cookies={SESSION_COOKIE: token},
            headers={"Accept-Language": "id-ID"},
            timeout=60,
            limits=FRESH,
        )
        for token in tokens
    ]
    try:
        # Each phone's CSRF cookie, from whichever process the balancer picks.
        pages = await asyncio.gather(*(phone.get("/") for phone in phones))
        assert [page.status_code for page in pages] == [200] * TAILORS
        url = f"/orders/{order.public_id}/take"
        seen = {"revision": str(order.revision)}
        responses = await at_once([(phone, url, seen) for phone in phones])
    finally:
        await asyncio.gather(*(phone.aclose() for phone in phones))
    no_server_errors(responses)
    for serve in deployment.serve:
        assert relayed(serve, "127.0.0.1", f"POST /orders/{order.public_id}/take")
    assert Counter(response.status_code for response in responses) == {303: 1, 409: TAILORS - 1}
    won = next(n for n, response in enumerate(responses) if response.status_code == 303)
    final = await orders.open_order(order.public_id)
    assert (final.status, final.assigned_tailor) == ("assigned", people.near[won])


def the_balancer_answers_when_a_backend_is_killed(deployment: Deployment, tailor: int) -> None:
    token = run_async(lambda: start_session(tailor, PHONE, "passkey"))
    with httpx.Client(
        base_url=deployment.balancer, cookies={SESSION_COOKIE: token}, timeout=30, limits=FRESH
    ) as phone:
        pages = ["/jobs", "/notifications", "/sw.js", "/manifest.webmanifest"]
        assert [phone.get(page).status_code for page in pages] == [200] * len(pages)
        killed = deployment.serve[0].popen
        killed.kill()
        killed.wait(timeout=10)
        # Taken out by the health checks in a few seconds; until then haproxy sends the
        # requests that find nobody there to the other process.
        answered = [phone.get(page).status_code for _turn in range(3) for page in pages]
    assert answered == [200] * len(answered)


@POSTGRESQL_ONLY
def test_two_serve_processes_and_a_worker_behind_haproxy_act_as_one(
    scale_out_database: str, tmp_path: Path
) -> None:
    people = run_async(people_and_a_due_wave)
    limits = {"RATE_LIMIT_SIGN_IN_PER_CLIENT": f"{SIGN_IN_ATTEMPTS}/hour,{SIGN_IN_ATTEMPTS}"}
    with deployed(scale_out_database, tmp_path, limits) as deployment:
        the_worker_alone_sends_the_due_wave(deployment, people)
        a_form_from_one_backend_posts_through_the_other(deployment)
        each_client_has_one_limit_whichever_backend_answers(deployment)
        run_async(lambda: one_of_fifty_tailors_wins_through_the_balancer(deployment, people))
        the_balancer_answers_when_a_backend_is_killed(deployment, people.far[0])
        # Counted last: nothing that ran meanwhile sent the wave again.
        the_wave_went_out_once(people)
