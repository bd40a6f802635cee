"""The words under an order's title, in every state an order can be in, as its designer, its
tailor and an admin read them (the production region sends them again as the order moves)."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, Role
from server.admin import disputes
from server.orders.assignment.services import take
from server.orders.cancellations import services as cancellations
from server.orders.offers import services as order_services
from server.orders.offers.services import OfferForm
from server.orders.posting.services import cancel, expire_orders
from server.orders.production.stages import Stage
from server.orders.tables import Order
from server.web import i18n
from tests.builders.orders import Deal, member, move_to, order
from tests.builders.places import today
from tests.helpers import HX, indonesian

Client = AsyncTestClient[Litestar]
REASON = "Mesin jahit saya rusak berat."


@dataclass
class Parties:
    designer: Client
    tailor: Client
    admin: Client
    designer_id: int
    tailor_id: int
    admin_id: int

    def deal(self, public_id: UUID) -> Deal:
        return Deal(
            self.designer, self.tailor, self.admin, self.designer_id, self.tailor_id, public_id
        )


@pytest.fixture
async def parties(app: Litestar) -> AsyncIterator[Parties]:
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(3)]
        designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
        tailor_id = await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
        admin_id = await member(clients[2], "designer", "Budi Admin", "0814-5555-0000")
        await Account.update({Account.role: Role.ADMIN}).where(Account.id == admin_id)
        yield Parties(*clients, designer_id, tailor_id, admin_id)


def words(fragment: str) -> str:
    """What a reader sees of some markup: its text, spaces collapsed, before any " · " detail."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return " ".join(text.split()).split(" · ")[0]


def heading_of(page: str, public_id: UUID) -> str:
    """The designer's and admin's status line, or the tailor's state notice."""
    designer_line = rf'<p id="order-{public_id}-status"[^>]*>(.*?)</p>'
    tailor_notice = rf'<div id="order-{public_id}-state"[^>]*>(.*?)</div>'
    found = re.search(f"{designer_line}|{tailor_notice}", page, re.S)
    assert found, "no heading under the title"
    return words(found.group(1) or found.group(2) or "")


async def headings(parties: Parties, public_id: UUID) -> dict[str, str]:
    url = f"/orders/{public_id}"
    return {
        name: heading_of((await client.get(url)).text, public_id)
        for name, client in (
            ("designer", parties.designer),
            ("tailor", parties.tailor),
            ("admin", parties.admin),
        )
    }


# Each state: how to get there, and the words (msgids) for the designer and admin, and the tailor.
Setup = Callable[[Parties], Awaitable[UUID]]


async def bidding(parties: Parties) -> UUID:
    return await order(parties.designer_id)


async def with_an_offer(parties: Parties) -> UUID:
    public_id = await order(parties.designer_id)
    form = OfferForm(price_per_piece=44_000, ready_by=today() + timedelta(days=10), note="")
    await order_services.make_offer(parties.tailor_id, public_id, form)
    return public_id


async def offer_withdrawn(parties: Parties) -> UUID:
    public_id = await with_an_offer(parties)
    await order_services.withdraw_offer(parties.tailor_id, public_id)
    return public_id


async def direct(parties: Parties) -> UUID:
    return await order(parties.designer_id, mode="direct")


def at_stage(stage: Stage) -> Setup:
    async def setup(parties: Parties) -> UUID:
        public_id = await order(parties.designer_id, mode="direct")
        await Order.update({Order.sample_first: True}).where(Order.public_id == public_id)
        await take(parties.tailor_id, public_id)
        await move_to(parties.deal(public_id), stage)
        return public_id

    return setup


async def cancellation_asked(parties: Parties) -> UUID:
    public_id = await at_stage(Stage.CUTTING)(parties)
    await cancellations.request_cancellation(public_id, parties.tailor_id, REASON)
    return public_id


async def cancellation_withdrawn(parties: Parties) -> UUID:
    public_id = await cancellation_asked(parties)
    await cancellations.withdraw_cancellation(public_id, parties.tailor_id)
    return public_id


async def disputed(parties: Parties) -> UUID:
    public_id = await cancellation_asked(parties)
    await cancellations.refuse_cancellation(public_id, parties.designer_id, "Tetap lanjut.")
    return public_id


async def cancelled_by_agreement(parties: Parties) -> UUID:
    public_id = await cancellation_asked(parties)
    await cancellations.accept_cancellation(public_id, parties.designer_id)
    return public_id


async def cancelled_by_the_admin(parties: Parties) -> UUID:
    public_id = await disputed(parties)
    [dispute] = (await disputes.disputes())[0]
    await disputes.decide(dispute.public_id, parties.admin_id, "cancel", "Dibatalkan saja.")
    return public_id


async def cancelled_while_open(parties: Parties) -> UUID:
    public_id = await with_an_offer(parties)
    await cancel(parties.designer_id, public_id, "Desain berubah.")
    return public_id


async def expired(parties: Parties) -> UUID:
    public_id = await order(parties.designer_id, days=1)
    await expire_orders(today() + timedelta(days=2))
    return public_id


TAKEN = ("Taken by %(name)s", "This order is yours")
SHIPPED = "Shipped: waiting for receipt to be confirmed"
# Every stage (a stage added later lands here too): shipped and completed read differently.
STAGES: dict[str, tuple[Setup, str, str]] = {
    f"in production: {stage}": (at_stage(stage), *TAKEN) for stage in Stage
}
STAGES["in production: shipped"] = (at_stage(Stage.SHIPPED), SHIPPED, SHIPPED)
STAGES["in production: completed"] = (at_stage(Stage.COMPLETED), "Completed", "Completed")
STATES: dict[str, tuple[Setup, str, str]] = {
    "bidding, no offer yet": (bidding, "No offers yet", ""),
    "bidding, one offer": (with_an_offer, "%(num)d offer", ""),
    "bidding, the offer withdrawn": (offer_withdrawn, "No offers yet", ""),
    "direct, waiting": (direct, "Waiting for a tailor to take it", ""),
    **STAGES,
    "cancellation asked": (cancellation_asked, "Cancellation requested", "Cancellation requested"),
    "cancellation withdrawn": (cancellation_withdrawn, *TAKEN),
    "disputed": (disputed, "Dispute: an admin decides", "Dispute: an admin decides"),
    "cancelled by agreement": (cancelled_by_agreement, "Cancelled", "Cancelled"),
    "cancelled by the admin": (cancelled_by_the_admin, "Cancelled", "Cancelled"),
    "cancelled before anyone took it": (
        cancelled_while_open,
        "Cancelled",
        "The designer cancelled this order",
    ),
    "expired": (
        expired,
        "Expired: nobody took it before the deadline",
        "This order passed its deadline without a tailor",
    ),
}


@pytest.mark.parametrize("state", list(STATES))
async def test_the_heading_says_where_the_order_stands_for_each_party(
    parties: Parties, state: str
) -> None:
    setup, for_designer, for_tailor = STATES[state]
    public_id = await setup(parties)
    if for_designer == "%(num)d offer":
        with i18n.using_locale("id"):
            expected = i18n.ngettext("%(num)d offer", "%(num)d offers", 1)
    else:
        expected = indonesian(for_designer, name="Siti Rahayu", html=False)
    assert await headings(parties, public_id) == {
        "designer": expected,
        "admin": expected,
        "tailor": indonesian(for_tailor, html=False) if for_tailor else "",
    }


async def test_the_production_region_brings_the_new_heading_along(parties: Parties) -> None:
    public_id = await at_stage(Stage.SHIPPED)(parties)
    await move_to(parties.deal(public_id), Stage.COMPLETED)
    completed = indonesian("Completed", html=False)
    for client in (parties.designer, parties.tailor, parties.admin):
        region = (await client.get(f"/orders/{public_id}/production", headers=HX)).text
        assert 'hx-swap-oob="true"' in region
        assert heading_of(region, public_id) == completed
