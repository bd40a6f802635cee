"""Nobody is bound to terms they did not see: an offer changed after the designer read it,
an order changed after the tailor read it. Each ends in a 409 showing the new terms, nothing
assigned, and a button that agrees to them."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.notifications.tables import Notification
from server.orders.tables import Offer, Order
from tests.builders.orders import ORDER, client_for, offer, published_order
from tests.builders.people import ONBOARDING_FORM, signed_in, signed_in_tailor
from tests.helpers import hidden_field, post_form

Client = AsyncTestClient[Any]
LANGSUNG = {"size_S": "40", "size_M": "", "size_L": "", "size_XL": "", "mode": "direct"}


@dataclass
class Deal:
    designer: Client
    tailor: Client
    tailor_id: int
    order: dict[str, Any]

    def url(self, tail: str = "") -> str:
        return f"/orders/{self.order['public_id']}{tail}"

    async def reload(self) -> dict[str, Any]:
        row: dict[str, Any] = await Order.select().where(Order.id == self.order["id"]).first()
        return row


async def deal(app: Litestar, stack: AsyncExitStack, **order: str) -> Deal:
    tailor_client, designer_client = await client_for(stack, app), await client_for(stack, app)
    tailor = await signed_in_tailor(
        tailor_client, "Siti Penjahit", "0812-3456-7000", onboarded=True, **ONBOARDING_FORM
    )
    await signed_in(designer_client, "designer", "Dewi Desainer", "0813-1111-2222")
    published = await published_order(designer_client, **order)
    return Deal(designer_client, tailor_client, tailor["id"], published)


async def test_an_offer_changed_after_the_designer_read_it_is_not_accepted(
    app: Litestar, stack: AsyncExitStack
) -> None:
    market = await deal(app, stack)
    await offer(market.tailor_id, market.order["public_id"], 60_000, days=14)
    read = (await market.designer.get(market.url())).text
    assert "Rp60.000/pcs" in read
    offer_id = (await Offer.select(Offer.public_id).first())["public_id"]
    accept = market.url(f"/offers/{offer_id}/accept")
    ready_by = (date.today() + timedelta(days=14)).isoformat()
    changed = {"price_per_piece": "95.000", "ready_by": ready_by, "note": ""}
    sent = await post_form(market.tailor, market.url("/offers"), changed, follow_redirects=False)
    assert sent.status_code == 303

    stale = await post_form(market.designer, accept, {"version": hidden_field(read, "version")})

    assert stale.status_code == 409
    assert "Penawaran ini berubah setelah Anda membacanya. Sekarang Rp95.000/pcs" in stale.text
    assert "Diubah · semula Rp60.000/pcs" in stale.text  # the offer's card, what it replaced
    order = await market.reload()
    assert (order["status"], order["assigned_tailor"]) == ("open", None)
    assert (await Offer.select(Offer.status).first())["status"] == "live"

    version = hidden_field(stale.text, "version")
    agreed = await post_form(market.designer, accept, {"version": version}, follow_redirects=False)
    assert agreed.status_code == 303
    order = await market.reload()
    assert (order["status"], order["agreed_price_per_piece"]) == ("assigned", 95_000)


async def test_an_order_changed_after_the_tailor_read_it_is_not_taken(
    app: Litestar, stack: AsyncExitStack
) -> None:
    market = await deal(app, stack, **LANGSUNG, budget_per_piece="70.000")
    read = (await market.tailor.get(market.url())).text
    assert "40 pcs" in read and "Rp70.000/pcs" in read
    edit = {**ORDER, **LANGSUNG, "size_S": "400", "budget_per_piece": "1.000"}
    cut = await post_form(market.designer, market.url(), edit, follow_redirects=False)
    assert cut.status_code == 303

    stale = await post_form(
        market.tailor, market.url("/take"), {"revision": hidden_field(read, "revision")}
    )

    assert stale.status_code == 409
    assert "Desainer mengubah order ini setelah Anda membacanya" in stale.text
    terms = stale.text[stale.text.index(f'id="order-{market.order["public_id"]}-terms"') :]
    assert "400 pcs" in terms and "Rp1.000/pcs" in terms and "Rp400.000" in terms
    assert "Setuju dengan syarat baru dan ambil" in stale.text
    order = await market.reload()
    assert (order["status"], order["assigned_tailor"]) == ("open", None)
    told = await Notification.select(Notification.title, Notification.body).where(
        Notification.account == market.tailor_id
    )
    assert any("400 pcs × Rp1.000" in row["body"] for row in told)  # alerted, so told again

    agreed = await post_form(
        market.tailor,
        market.url("/take"),
        {"revision": hidden_field(stale.text, "revision")},
        follow_redirects=False,
    )
    assert agreed.status_code == 303
    order = await market.reload()
    assert (order["status"], order["assigned_tailor"]) == ("assigned", market.tailor_id)
    assert (order["quantity"], order["agreed_price_per_piece"]) == (400, 1_000)


async def test_a_take_that_does_not_say_what_was_read_shows_the_terms_first(
    app: Litestar, stack: AsyncExitStack
) -> None:
    market = await deal(app, stack, **LANGSUNG)
    for form in ({}, {"revision": "abc"}, {"revision": "9" * 30}, {"revision": "-1"}):
        refused = await post_form(market.tailor, market.url("/take"), form)
        assert refused.status_code == 409, form
        assert "Setuju dengan syarat baru dan ambil" in refused.text
    assert (await market.reload())["status"] == "open"
