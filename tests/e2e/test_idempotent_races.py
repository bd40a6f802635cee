"""Double taps at once, over real HTTP to uvicorn: a "Pasang sekarang" tapped several times
makes one order and one dispatch wave, and every tap gets the same answer."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from server.idempotency.forms import KEY_FIELD
from server.idempotency.services import mint_key
from server.notifications.tables import Notification
from server.orders.tables import DispatchDecision, Order
from tests.builders.orders import ORDER
from tests.builders.people import designer, tailor
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.test_concurrency import signed_in

COPIES = 8
TAILORS = 3
Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def at_once(client: httpx.AsyncClient, send: Send, copies: int = COPIES) -> list[Any]:
    """`copies` of one request from one browser, released together."""
    start = asyncio.Event()

    async def one() -> httpx.Response:
        await start.wait()
        return await send(client)

    tasks = [asyncio.create_task(one()) for _ in range(copies)]
    await asyncio.sleep(0)  # every task is waiting on the start line
    start.set()
    try:
        return await asyncio.gather(*tasks)
    finally:
        await client.aclose()


def raced(server: LiveServer, account_id: int, send: Send) -> list[httpx.Response]:
    async def race() -> list[httpx.Response]:
        return await at_once(await signed_in(server, account_id), send)

    return run_async(race)


async def designer_and_tailors() -> tuple[int, list[int]]:
    owner = await designer()
    return owner, [
        await tailor(km=1.0 + number, name=f"Penjahit {number}") for number in range(TAILORS)
    ]


def test_a_publish_tapped_several_times_at_once_makes_one_order_and_one_wave(
    server: LiveServer,
) -> None:
    owner, tailors = server.call(designer_and_tailors())
    form = {**ORDER, "action": "publish", KEY_FIELD: mint_key()}

    async def publish(client: httpx.AsyncClient) -> httpx.Response:
        # A browser's multipart form, the empty photo field included.
        return await client.post(
            "/orders",
            data={**form, "_csrf_token": client.cookies["csrftoken"]},
            files={"photos": ("", b"", "application/octet-stream")},
        )

    responses = raced(server, owner, publish)

    assert Counter(r.status_code for r in responses) == {303: COPIES}
    assert len({r.headers["location"] for r in responses}) == 1
    orders = server.call(Order.select(Order.public_id, Order.dispatch_wave).run())
    assert len(orders) == 1 and orders[0]["dispatch_wave"] == 1
    assert responses[0].headers["location"] == f"/orders/{orders[0]['public_id']}"
    alerted = server.call(
        DispatchDecision.select(DispatchDecision.tailor)
        .where(DispatchDecision.outcome == "alerted")
        .run()
    )
    assert sorted(row["tailor"] for row in alerted) == sorted(tailors)
    told = server.call(Notification.count().where(Notification.kind == "new_order").run())
    assert told == TAILORS
