"""Exactly one winner, over real HTTP to uvicorn, round after round: 50 tailors tapping
"Ambil" on one Langsung order at once, a designer accepting two offers at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx

from server.notifications.tables import Notification
from server.orders.offers import services as orders
from server.orders.records import OrderRecord
from server.orders.tables import Offer, Order
from server.tailors.services import today
from tests.builders.orders import published
from tests.builders.people import designer, tailor
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.races import at_once, broken_promises, on_server, signed_in
from tests.helpers import indonesian

TAILORS = 50
ROUNDS = 5
TAKEN = indonesian("Already taken by another tailor", html=False)


async def fifty_tailors() -> tuple[int, list[int]]:
    owner = await designer()
    takers = [
        await tailor(km=1.0 + number / 25, name=f"Penjahit {number}") for number in range(TAILORS)
    ]
    return owner, takers


async def designer_alerts(order: OrderRecord) -> int:
    return await Notification.count().where(
        (Notification.kind == "offer") & (Notification.account == order.designer)
    )


def test_fifty_tailors_take_a_langsung_order_at_once_and_one_wins(server: LiveServer) -> None:
    owner, takers = server.call(fifty_tailors())

    async def rounds() -> None:
        clients = list(await asyncio.gather(*(signed_in(server, taker) for taker in takers)))
        for _round in range(ROUNDS):
            order = await on_server(server, published(owner, mode="direct"))
            url = f"/orders/{order.public_id}/take"
            seen = {"revision": str(order.revision)}
            told_before = await on_server(server, designer_alerts(order))
            responses = await at_once([(client, url, seen) for client in clients])

            assert Counter(r.status_code for r in responses) == {303: 1, 409: TAILORS - 1}
            won = next(n for n, r in enumerate(responses) if r.status_code == 303)
            assert responses[won].headers["location"] == f"/orders/{order.public_id}"
            assert all(TAKEN in r.text for r in responses if r.status_code == 409)
            final = await on_server(server, orders.open_order(order.public_id))
            assert (final.status, final.assigned_tailor) == ("assigned", takers[won])
            assert final.agreed_price_per_piece == order.budget_per_piece
            # the designer hears about the one winner only
            assert await on_server(server, designer_alerts(order)) == told_before + 1
        for client in clients:
            await client.aclose()

    run_async(rounds)


async def two_offers(owner: int, quoting: list[int]) -> tuple[dict[str, Any], list[Any]]:
    order = await published(owner, mode="bidding")
    for number, account in enumerate(quoting):
        form = orders.OfferForm(
            price_per_piece=80_000 + number * 1_000,
            ready_by=today() + timedelta(days=20),
            note="",
        )
        await orders.make_offer(account, order.public_id, form)
    offers = await Offer.select(Offer.public_id).where(Offer.order == order.id).order_by(Offer.id)
    return order, [offer["public_id"] for offer in offers]


def test_a_designer_accepting_two_offers_at_once_assigns_one(server: LiveServer) -> None:
    owner = server.call(designer())
    quoting = [server.call(tailor(km=2.0, name="Satu")), server.call(tailor(km=3.0, name="Dua"))]

    async def rounds() -> None:
        phones = list(await asyncio.gather(*(signed_in(server, owner) for _n in range(4))))
        for _round in range(ROUNDS):
            order, offers = await on_server(server, two_offers(owner, quoting))
            base = f"/orders/{order.public_id}/offers"
            urls = [f"{base}/{offer}/accept" for offer in (*offers, *offers)]
            posts = [
                (phone, url, {"version": "1"}) for phone, url in zip(phones, urls, strict=True)
            ]
            responses: list[httpx.Response] = await at_once(posts)

            assert Counter(r.status_code for r in responses) == {303: 1, 409: len(urls) - 1}
            won = offers[next(n for n, r in enumerate(responses) if r.status_code == 303) % 2]
            statuses = await on_server(
                server,
                Offer.select(Offer.public_id, Offer.status).where(Offer.order == order.id).run(),
            )
            assert {row["public_id"]: row["status"] for row in statuses} == {
                offer: "accepted" if offer == won else "declined" for offer in offers
            }
            assert await on_server(server, broken_promises()) == []
        assert await on_server(server, Order.count().where(Order.status == "assigned").run()) == (
            ROUNDS
        )
        for phone in phones:
            await phone.aclose()

    run_async(rounds)
