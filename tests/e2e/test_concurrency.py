"""Exactly one winner, over real HTTP to uvicorn: 50 tailors tapping "Ambil" on one Langsung
order at once, a designer accepting two offers at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx

from server.auth.sessions import SESSION_COOKIE, start_session
from server.notifications.tables import Notification
from server.orders import services as orders
from server.orders.tables import Offer, Order
from server.tailors.services import today
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.integration.dispatch_builders import designer, published, tailor

TAILORS = 50
TAKEN = "Sudah diambil penjahit lain"


async def signed_in(server: LiveServer, account_id: int) -> httpx.AsyncClient:
    """A browser of its own: the session cookie, then the CSRF cookie from any page."""
    token = await asyncio.wrap_future(
        asyncio.run_coroutine_threadsafe(
            start_session(account_id, "Mozilla/5.0 (Linux; Android 13) Chrome/120", "passkey"),
            server.loop,  # type: ignore[arg-type]
        )
    )
    client = httpx.AsyncClient(
        base_url=server.url,
        cookies={SESSION_COOKIE: token},
        headers={"Accept-Language": "id-ID"},
        timeout=60,
    )
    response = await client.get("/")
    assert response.status_code == 200
    assert "csrftoken" in client.cookies
    return client


async def post_all_at_once(
    clients: list[httpx.AsyncClient], urls: list[str]
) -> list[httpx.Response]:
    start = asyncio.Event()

    async def post(client: httpx.AsyncClient, url: str) -> httpx.Response:
        await start.wait()
        return await client.post(url, data={"_csrf_token": client.cookies["csrftoken"]})

    tasks = [
        asyncio.create_task(post(client, url)) for client, url in zip(clients, urls, strict=True)
    ]
    await asyncio.sleep(0.05)  # every request built and waiting
    start.set()
    try:
        return await asyncio.gather(*tasks)
    finally:
        for client in clients:
            await client.aclose()


async def langsung_order(tailors: int) -> tuple[dict[str, Any], list[int]]:
    owner = await designer()
    takers = [
        await tailor(1.0 + number / 25, name=f"Penjahit {number}") for number in range(tailors)
    ]
    order = await published(owner, mode="direct")
    return order, takers


def test_fifty_tailors_take_a_langsung_order_at_once_and_one_wins(server: LiveServer) -> None:
    order, takers = server.call(langsung_order(TAILORS))
    url = f"/orders/{order['public_id']}/take"

    async def race() -> list[httpx.Response]:
        clients = await asyncio.gather(*(signed_in(server, taker) for taker in takers))
        return await post_all_at_once(list(clients), [url] * TAILORS)

    responses = run_async(race)

    assert Counter(r.status_code for r in responses) == {303: 1, 409: TAILORS - 1}
    winner = next(taker for taker, r in zip(takers, responses, strict=True) if r.status_code == 303)
    assert responses[takers.index(winner)].headers["location"] == f"/orders/{order['public_id']}"
    for response in responses:
        if response.status_code == 409:
            assert TAKEN in response.text
    final = server.call(orders.open_order(order["public_id"]))
    assert (final["status"], final["assigned_tailor"]) == ("assigned", winner)
    assert final["agreed_price_per_piece"] == order["budget_per_piece"]
    told = server.call(
        Notification.select(Notification.account)
        .where((Notification.kind == "offer") & (Notification.account == order["designer"]))
        .run()
    )
    assert len(told) == 1  # the designer hears about the one winner only


async def two_offers() -> tuple[dict[str, Any], list[int], list[Any]]:
    owner = await designer()
    order = await published(owner, mode="bidding")
    quoting = [await tailor(2.0, name="Penjahit Satu"), await tailor(3.0, name="Penjahit Dua")]
    for number, account in enumerate(quoting):
        form = orders.OfferForm(
            price_per_piece=80_000 + number * 1_000,
            ready_by=today() + timedelta(days=20),
            note="",
        )
        await orders.make_offer(account, order["public_id"], form)
    offers = await Offer.select(Offer.public_id, Offer.tailor).order_by(Offer.id)
    return order, [owner], [offer["public_id"] for offer in offers]


def test_a_designer_accepting_two_offers_at_once_assigns_one(server: LiveServer) -> None:
    order, (owner,), offers = server.call(two_offers())
    base = f"/orders/{order['public_id']}/offers"
    urls = [f"{base}/{offer}/accept" for offer in (*offers, *offers)]

    async def race() -> list[httpx.Response]:
        clients = await asyncio.gather(*(signed_in(server, owner) for _url in urls))
        return await post_all_at_once(list(clients), urls)

    responses = run_async(race)

    assert Counter(r.status_code for r in responses) == {303: 1, 409: len(urls) - 1}
    won = offers[next(n for n, r in enumerate(responses) if r.status_code == 303) % 2]
    final = server.call(orders.open_order(order["public_id"]))
    statuses = server.call(Offer.select(Offer.public_id, Offer.status, Offer.tailor).run())
    accepted = [offer for offer in statuses if offer["status"] == "accepted"]
    assert [offer["public_id"] for offer in accepted] == [won]
    assert {offer["status"] for offer in statuses} == {"accepted", "declined"}
    assert (final["status"], final["assigned_tailor"]) == ("assigned", accepted[0]["tailor"])
    assert server.call(Order.count().where(Order.status == "assigned").run()) == 1
