"""Races over real HTTP: phones of their own signed in to the live server, their requests
released together, and what must hold for offers and orders whoever wins."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from server.auth.sessions import SESSION_COOKIE, start_session
from server.orders.tables import Offer, OfferStatus, Order, OrderStatus
from tests.e2e.conftest import LiveServer

T = TypeVar("T")
Post = tuple[httpx.AsyncClient, str, dict[str, str]]


async def on_server(server: LiveServer, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on the server's loop (its database pool) from a test's own loop."""
    loop = server.loop
    assert loop is not None
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, loop))


async def signed_in(server: LiveServer, account_id: int) -> httpx.AsyncClient:
    """A browser of its own: the session cookie, then the CSRF cookie from any page."""
    token = await on_server(
        server, start_session(account_id, "Mozilla/5.0 (Linux; Android 13) Chrome/120", "passkey")
    )
    client = httpx.AsyncClient(
        base_url=server.url,
        cookies={SESSION_COOKIE: token},
        headers={"Accept-Language": "id-ID"},
        timeout=60,
        # A fresh connection per request: one kept idle longer than uvicorn keeps it open
        # (5 s) while the next round is prepared would be closed under the request.
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    response = await client.get("/")
    assert response.status_code == 200
    assert "csrftoken" in client.cookies
    return client


async def at_once(posts: list[Post]) -> list[httpx.Response]:
    """Every form posted together: each request waits at the same gate, then all go."""
    gate = asyncio.Event()

    async def post(client: httpx.AsyncClient, url: str, form: dict[str, str]) -> httpx.Response:
        await gate.wait()
        return await client.post(url, data={**form, "_csrf_token": client.cookies["csrftoken"]})

    tasks = [asyncio.create_task(post(*request)) for request in posts]
    await asyncio.sleep(0)  # each task runs up to the gate
    gate.set()
    return await asyncio.gather(*tasks)


async def broken_promises() -> list[str]:
    """What must hold after any race: at most one accepted offer per order, on the order's
    agreed terms, and no live offer left on an order nobody can take any more."""
    orders = {row["id"]: row for row in await Order.select()}
    offers = await Offer.select()
    problems = []
    accepted = Counter(offer["order"] for offer in offers if offer["status"] == "accepted")
    problems += [f"order {order}: {n} accepted offers" for order, n in accepted.items() if n > 1]
    for offer in offers:
        order = orders[offer["order"]]
        if offer["status"] == OfferStatus.LIVE and order["status"] != OrderStatus.OPEN:
            problems.append(f"order {order['id']} is {order['status']} with a live offer")
        if offer["status"] == OfferStatus.ACCEPTED:
            agreed = (
                order["status"],
                order["assigned_tailor"],
                order["agreed_price_per_piece"],
                order["agreed_ready_by"],
            )
            terms = ("assigned", offer["tailor"], offer["price_per_piece"], offer["ready_by"])
            if agreed != terms:
                problems.append(f"order {order['id']} agreed {agreed}, its offer says {terms}")
    return problems


def no_server_errors(responses: list[httpx.Response]) -> None:
    assert [r.status_code for r in responses if r.status_code >= 500] == []
