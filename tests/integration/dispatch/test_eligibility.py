"""The dispatch rules hold wherever a tailor reaches an order: its page, its photos, the feed,
offers and taking it. One rule failing is enough to be refused, and the refusal names it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth.sessions import SESSION_COOKIE, start_session
from server.media.services import store_photo
from server.orders.access import Ineligible
from server.orders.assignment.services import take
from server.orders.dispatching.candidates import refusal
from server.orders.offers import services
from server.orders.posting.services import publish
from server.orders.records import OrderRecord
from server.orders.refusals import OrderError
from server.orders.tables import DispatchDecision, Offer, Order, OrderStatus
from server.web import i18n
from tests.builders.orders import order_form, published, reach
from tests.builders.people import designer, tailor
from tests.builders.places import today
from tests.helpers import HX, post_form, refusal_in_indonesian
from tests.images import jpeg_with_gps

Client = AsyncTestClient[Litestar]
Browser = Callable[[int], Awaitable[Client]]

# One tailor per rule, failing that rule alone (orders: 100 pcs of kemeja, 28 days ahead,
# picked up in Kota Bandung; the first wave reaches 5 km, `reach` widens it).
ALONE: dict[str, dict[str, Any]] = {
    "not_verified": {"verification": "pending"},
    "switched_off": {"available": False},
    "no_skill": {"skills": ("kaos",)},
    "beyond_order_radius": {"km": 8.0},
    "beyond_tailor_radius": {"km": 12.0, "radius": 10, "reach": 20},
    "minimum_order": {"minimum_order": 200},
    "no_capacity": {"capacity": 20},
}


@pytest.fixture
async def browser(app: Litestar) -> AsyncIterator[Browser]:
    """A browser of its own, signed in as the given account."""
    async with AsyncExitStack() as stack:

        async def open_for(account_id: int) -> Client:
            client: Client = await stack.enter_async_context(AsyncTestClient(app=app))
            client.cookies.set(SESSION_COOKIE, await start_session(account_id, "test", "passkey"))
            return client

        yield open_for


async def answer(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    """The status of a plain form post, without following its redirect."""
    response = await post_form(client, url, data or {}, follow_redirects=False)
    return int(response.status_code)


def offer_fields() -> dict[str, str]:
    return {"price_per_piece": "80000", "ready_by": (today() + timedelta(days=20)).isoformat()}


async def live_offers(order: OrderRecord) -> int:
    return await Offer.count().where(Offer.order == order.id)


async def status_of(order: OrderRecord) -> str:
    row = await Order.select(Order.status).where(Order.id == order.id).first()
    return str(row["status"])


@pytest.mark.parametrize("rule", list(ALONE))
async def test_each_rule_alone_refuses_offer_and_take(browser: Browser, rule: str) -> None:
    setup = dict(ALONE[rule])
    widen = setup.pop("reach", 5)
    buyer = await designer()
    bidding = await published(buyer, title="Kemeja seragam dinas")
    direct = await published(buyer, title="Kemeja seragam dinas", mode="direct")
    for order in (bidding, direct):
        await reach(order.id, widen)
    refused_id = await tailor(**setup)
    allowed_id = await tailor(km=1.0, name="Penjahit yang memenuhi")
    refused = await browser(refused_id)

    offered = await post_form(refused, f"/orders/{bidding.public_id}/offers", offer_fields())
    seen = {"revision": str(direct.revision)}
    took = await post_form(refused, f"/orders/{direct.public_id}/take", seen)
    as_htmx = await post_form(refused, f"/orders/{direct.public_id}/take", seen, headers=HX)

    for response in (offered, took, as_htmx):
        assert response.status_code == 403
        assert refusal_in_indonesian(OrderError, rule) in response.text
    if rule != "switched_off":  # only a switched-off tailor may still read the order
        assert "Kemeja seragam dinas" not in offered.text + took.text + as_htmx.text
    assert "<html" not in as_htmx.text
    assert await live_offers(bidding) == 0
    assert await status_of(direct) == OrderStatus.OPEN
    # The same orders stay open to a tailor who passes every rule.
    allowed = await browser(allowed_id)
    assert await answer(allowed, f"/orders/{bidding.public_id}/offers", offer_fields()) == 303
    assert await answer(allowed, f"/orders/{direct.public_id}/take", seen) == 303


async def test_a_suspended_tailor_is_refused_by_the_services_too(clean_database: str) -> None:
    buyer = await designer()
    bidding = await published(buyer)
    direct = await published(buyer, mode="direct")
    suspended = await tailor(status="suspended")
    form = services.OfferForm(80_000, today() + timedelta(days=20), "")
    with pytest.raises(Ineligible, match="suspended"):
        await services.make_offer(suspended, bidding.public_id, form)
    with pytest.raises(Ineligible, match="suspended"):
        await take(suspended, direct.public_id)
    assert await live_offers(bidding) == 0
    assert await status_of(direct) == OrderStatus.OPEN


async def test_an_order_and_its_photos_are_not_found_outside_the_feed(
    app: Litestar, browser: Browser
) -> None:
    buyer = await designer()
    photo = await store_photo(app.state.media, buyer, "order", jpeg_with_gps())
    created = await publish(buyer, order_form(), [photo["id"]])
    page, small = f"/orders/{created.public_id}", f"/media/{photo['public_id']}/small.webp"
    unverified = await browser(await tailor(verification="pending"))
    unskilled = await browser(await tailor(skills=("kaos",)))
    too_far = await browser(await tailor(km=8.0))
    eligible = await browser(await tailor(km=1.0))

    for outsider in (unverified, unskilled, too_far):
        assert (await outsider.get(page)).status_code == 404
        assert (await outsider.get(page, headers=HX)).status_code == 404
        assert (await outsider.get(small)).status_code == 404
        assert (await outsider.get(f"/media/{photo['public_id']}/large.webp")).status_code == 404
        assert str(created.public_id) not in (await outsider.get("/jobs")).text
    assert (await eligible.get(page)).status_code == 200
    assert (await eligible.get(small)).status_code == 200
    assert str(created.public_id) in (await eligible.get("/jobs")).text


async def test_a_tailor_who_offered_keeps_the_order_when_a_rule_changes(
    app: Litestar, browser: Browser
) -> None:
    buyer = await designer()
    photo = await store_photo(app.state.media, buyer, "order", jpeg_with_gps())
    created = await publish(buyer, order_form(), [photo["id"]])
    tailor_id = await tailor(km=1.0, capacity=100)
    client = await browser(tailor_id)
    url = f"/orders/{created.public_id}"
    assert await answer(client, f"{url}/offers", offer_fields()) == 303
    # Another order fills the week: no new offer, but their own stays readable and withdrawable.
    other = await published(buyer, mode="direct", quantity=350)
    seen = {"revision": str(other.revision)}
    assert await answer(client, f"/orders/{other.public_id}/take", seen) == 303
    changed = await post_form(client, f"{url}/offers", offer_fields())
    assert changed.status_code == 403
    assert refusal_in_indonesian(OrderError, "no_capacity") in changed.text
    assert (await client.get(url)).status_code == 200
    assert (await client.get(f"/media/{photo['public_id']}/small.webp")).status_code == 200
    assert await answer(client, f"{url}/offers/withdraw") == 303


def feed_ids(html: str) -> set[UUID]:
    return {UUID(found) for found in re.findall(r'id="order-([0-9a-f-]{36})-card"', html)}


async def test_the_feed_shows_exactly_what_the_tailor_may_open(browser: Browser) -> None:
    buyer = await designer()
    orders = [
        await published(buyer, title="Kemeja dekat"),
        await published(buyer, title="Kaos dekat", category="kaos"),
        await published(buyer, title="Kemeja sedikit", quantity=10),
        await published(buyer, title="Kemeja banyak", quantity=900, mode="direct"),
        await published(buyer, title="Kemeja yang melebar"),
    ]
    await reach(orders[-1].id, 20)
    tailors = [
        await tailor(km=1.0),
        await tailor(km=3.0, skills=("kaos", "kemeja"), minimum_order=50),
        await tailor(km=4.0, capacity=100),
        await tailor(km=9.0, radius=15),
        await tailor(km=2.0, verification="pending"),
        await tailor(km=2.5, available=False),
    ]
    for tailor_id in tailors:
        client = await browser(tailor_id)
        shown = feed_ids((await client.get("/jobs")).text)
        may_open = set()
        for order in orders:
            response = await client.get(f"/orders/{order.public_id}")
            assert response.status_code in (200, 404)
            if response.status_code == 200:
                may_open.add(order.public_id)
            fresh = await services.open_order(order.public_id)
            rule = await refusal(tailor_id, fresh, i18n.local_today(), reading=True)
            assert (rule is None) == (order.public_id in may_open), (tailor_id, rule)
        assert shown == may_open, tailor_id
    # Dispatch alerted only tailors who may open the order, and none it left out can.
    for decision in await DispatchDecision.select():
        order = next(order for order in orders if order.id == decision["order"])
        client = await browser(decision["tailor"])
        opened = (await client.get(f"/orders/{order.public_id}")).status_code == 200
        if decision["outcome"] == "alerted":
            assert opened, decision
        elif decision["reason"] not in ("switched_off", "beyond_order_radius"):
            assert not opened, decision
