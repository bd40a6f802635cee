"""Offers and assignment raced over real HTTP, round after round, on each engine: accept
against a changed offer, against a withdrawal, a double-tapped first offer, and a designer's
edit against a tailor's "Ambil". Whoever wins, nobody is bound to terms they did not see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from server.notifications.tables import Notification
from server.orders.offers import services as orders
from server.orders.records import OrderRecord
from server.orders.tables import Offer
from server.tailors.services import today
from tests.builders.orders import published
from tests.builders.people import designer, tailor
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.races import at_once, broken_promises, no_server_errors, on_server, signed_in

ROUNDS = 10
SEEN_PRICE = 60_000
READY_BY = today() + timedelta(days=20)
Round = Callable[[httpx.AsyncClient, httpx.AsyncClient], Awaitable[None]]


def offer_form(price: int, ready_by: date = READY_BY) -> dict[str, str]:
    return {"price_per_piece": str(price), "ready_by": ready_by.isoformat(), "note": ""}


async def quoted(owner: int, quoting: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Penawaran order of 10 pieces with the tailor's offer at Rp60.000 (its first version)."""
    order = await published(owner, mode="bidding", quantity=10)
    form = orders.OfferForm(price_per_piece=SEEN_PRICE, ready_by=READY_BY, note="")
    await orders.make_offer(quoting, order.public_id, form)
    offer = await Offer.select().where(Offer.order == order.id).first()
    assert offer is not None
    return order, offer


def race(server: LiveServer, play: Callable[[int, int], Round]) -> None:
    """A designer's phone and a tailor's, ROUNDS rounds of `play`, each on new orders."""
    owner = server.call(designer())
    quoting = server.call(tailor(km=2.0, name="Siti"))

    async def rounds() -> None:
        designer_phone, tailor_phone = (
            await signed_in(server, owner),
            await signed_in(server, quoting),
        )
        one_round = play(owner, quoting)
        for _round in range(ROUNDS):
            await one_round(designer_phone, tailor_phone)
            assert await on_server(server, broken_promises()) == []
        await designer_phone.aclose()
        await tailor_phone.aclose()

    run_async(rounds)


async def accepted_while(
    designer_phone: httpx.AsyncClient,
    order: OrderRecord,
    offer: dict[str, Any],
    tailor_posts: tuple[httpx.AsyncClient, str, dict[str, str]],
) -> list[httpx.Response]:
    """The designer accepts the offer's first version as the tailor posts to the order."""
    base = f"/orders/{order.public_id}"
    tailor_phone, tail, form = tailor_posts
    accept = f"{base}/offers/{offer['public_id']}/accept"
    return await at_once(
        [(designer_phone, accept, {"version": "1"}), (tailor_phone, base + tail, form)]
    )


def one_winner(responses: list[httpx.Response]) -> int:
    no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [303, 409]
    return next(n for n, r in enumerate(responses) if r.status_code == 303)


def test_accept_against_a_changed_offer_never_takes_the_new_price(server: LiveServer) -> None:
    def play(owner: int, quoting: int) -> Round:
        async def one_round(designer_phone: httpx.AsyncClient, tailor_phone: Any) -> None:
            order, offer = await on_server(server, quoted(owner, quoting))
            tailor_posts = (tailor_phone, "/offers", offer_form(99_000_000))
            responses = await accepted_while(designer_phone, order, offer, tailor_posts)
            accepted = one_winner(responses) == 0
            final = await on_server(server, orders.open_order(order.public_id))
            if accepted:
                assert (final.status, final.agreed_price_per_piece) == (
                    "assigned",
                    SEEN_PRICE,
                )
            else:
                assert final.status == "open"
                assert "Rp99.000.000" in responses[0].text  # the designer reads the new price

        return one_round

    race(server, play)


def test_accept_against_a_withdrawal_assigns_only_a_live_offer(server: LiveServer) -> None:
    def play(owner: int, quoting: int) -> Round:
        async def one_round(designer_phone: httpx.AsyncClient, tailor_phone: Any) -> None:
            order, offer = await on_server(server, quoted(owner, quoting))
            tailor_posts = (tailor_phone, "/offers/withdraw", {})
            responses = await accepted_while(designer_phone, order, offer, tailor_posts)
            accepted = one_winner(responses) == 0
            final = await on_server(server, orders.open_order(order.public_id))
            status = await on_server(
                server, Offer.select(Offer.status).where(Offer.id == offer["id"]).first().run()
            )
            expected = ("assigned", "accepted") if accepted else ("open", "withdrawn")
            assert (final.status, status["status"]) == expected

        return one_round

    race(server, play)


async def offer_alerts(account_id: int) -> int:
    return await Notification.count().where(
        (Notification.account == account_id) & (Notification.kind == "offer")
    )


def test_a_double_tapped_first_offer_makes_one_offer(server: LiveServer) -> None:
    def play(owner: int, quoting: int) -> Round:
        async def one_round(designer_phone: httpx.AsyncClient, tailor_phone: Any) -> None:
            order = await on_server(server, published(owner, mode="bidding", quantity=10))
            url = f"/orders/{order.public_id}/offers"
            second_tap = await signed_in(server, quoting)  # the same tailor, a retried request
            told = await on_server(server, offer_alerts(owner))
            responses = await at_once(
                [(tailor_phone, url, offer_form(55_000)), (second_tap, url, offer_form(55_000))]
            )
            await second_tap.aclose()
            no_server_errors(responses)
            assert [r.status_code for r in responses] == [303, 303]
            offers = await on_server(server, Offer.select().where(Offer.order == order.id).run())
            assert [(o["status"], o["price_per_piece"], o["version"]) for o in offers] == [
                ("live", 55_000, 1)
            ]
            assert await on_server(server, offer_alerts(owner)) == told + 1  # one offer, once

        return one_round

    race(server, play)


def edit_form(order: OrderRecord, price: int, pieces: int) -> dict[str, str]:
    return {
        "title": order.title,
        "description": order.description,
        "budget_per_piece": str(price),
        "deadline": order.deadline.isoformat(),
        "custom_sizes": "",
        "size_M": str(pieces),
    }


def test_a_designer_edit_against_a_take_binds_the_tailor_to_what_they_saw(
    server: LiveServer,
) -> None:
    def play(owner: int, quoting: int) -> Round:
        async def one_round(designer_phone: httpx.AsyncClient, tailor_phone: Any) -> None:
            order = await on_server(
                server, published(owner, mode="direct", quantity=40, budget_per_piece=70_000)
            )
            base = f"/orders/{order.public_id}"
            responses = await at_once(
                [
                    (designer_phone, base, edit_form(order, 1_000, 400)),
                    (tailor_phone, f"{base}/take", {"revision": str(order.revision)}),
                ]
            )
            took = one_winner(responses) == 1
            final = await on_server(server, orders.open_order(order.public_id))
            if took:
                assert (final.status, final.quantity) == ("assigned", 40)
                assert final.agreed_price_per_piece == 70_000
            else:
                assert (final.status, final.quantity) == ("open", 400)
                page = responses[1].text  # the tailor reads the new terms, to agree or not
                assert "Rp1.000/pcs" in page and "400 pcs" in page

        return one_round

    race(server, play)
