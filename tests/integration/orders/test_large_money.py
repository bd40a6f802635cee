"""Money at the size of a real school-uniform order: 10.000 pcs at Rp500.000 is Rp5 miliar,
beyond a 32-bit integer. It must go from publishing to the final payment with every figure
exact, on both engines (PostgreSQL's `integer` used to refuse it at assignment)."""

from __future__ import annotations

from contextlib import AsyncExitStack
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.orders.production.stages import Stage
from server.orders.tables import Offer, Order, Payment
from server.tailors.tables import TailorProfile
from tests.builders.orders import ORDER, Client, Deal, member, move_to
from tests.helpers import HX, post_form, post_multipart

PIECES = 10_000
PRICE = 500_000
TOTAL = "Rp5.000.000.000"
HALF = "Rp2.500.000.000"


async def people(stack: AsyncExitStack, app: Litestar) -> tuple[list[Client], int, int]:
    """A designer and a tailor who can sew 10.000 shirts in the time, each on their client."""
    clients = [await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(2)]
    designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
    tailor_id = await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
    await TailorProfile.update({TailorProfile.weekly_capacity: 20_000}).where(
        TailorProfile.account == tailor_id
    )
    return clients, designer_id, tailor_id


async def publish(designer: Client, mode: str) -> UUID:
    fields = {
        **ORDER,
        **dict.fromkeys(("size_S", "size_L", "size_XL"), ""),
        "size_M": "10.000",
        "budget_per_piece": "500.000",
        "sample_first": "",
        "mode": mode,
        "action": "publish",
    }
    response = await post_multipart(designer, "/orders", fields, {})
    assert response.status_code == 303, response.text
    return UUID(response.headers["location"].rsplit("/", 1)[-1])


async def assert_paid_through(deal: Deal) -> None:
    """DP marked and confirmed, production to shipping, the final payment marked and
    confirmed: every step answers, and the amounts stay exact."""
    for kind in ("dp", "final"):
        if kind == "final":
            await move_to(deal, Stage.SHIPPED)
        marked = await post_form(deal.designer_client, f"{deal.url}/payments/{kind}/paid", {})
        assert marked.status_code == 200, marked.text
        confirmed = await post_form(
            deal.tailor_client, f"{deal.url}/payments/{kind}/received", {}, headers=HX
        )
        assert confirmed.status_code == 200, confirmed.text
    order = await deal.row()
    rows = await Payment.select(Payment.amount, Payment.status).where(Payment.order == order["id"])
    assert (
        sorted((row["amount"], row["status"]) for row in rows)
        == [(PIECES * PRICE // 2, "confirmed")] * 2
    )
    page = (await deal.designer_client.get(deal.url)).text
    assert TOTAL in page and HALF in page


async def assert_lists_show_the_total(deal: Deal) -> None:
    for client, url in ((deal.tailor_client, "/work"), (deal.designer_client, "/orders")):
        response = await client.get(url)
        assert response.status_code == 200, response.text
        assert f"Total {TOTAL}" in response.text
    home = await deal.tailor_client.get("/home")
    assert home.status_code == 200 and f'href="/orders/{deal.public_id}"' in home.text


async def test_direct_order_of_five_billion_is_taken_and_paid(
    app: Litestar, stack: AsyncExitStack
) -> None:
    (designer, tailor), designer_id, tailor_id = await people(stack, app)
    public_id = await publish(designer, "direct")
    order = await Order.select().where(Order.public_id == public_id).first()
    assert (order["quantity"], order["budget_per_piece"]) == (PIECES, PRICE)

    seen = {"revision": str(order["revision"])}
    taken = await post_form(tailor, f"/orders/{public_id}/take", seen, follow_redirects=False)

    assert taken.status_code == 303, taken.text
    deal = Deal(designer, tailor, tailor, designer_id, tailor_id, public_id)
    page = (await tailor.get(deal.url)).text
    assert TOTAL in page and HALF in page
    await assert_lists_show_the_total(deal)
    await assert_paid_through(deal)


async def test_bidding_order_of_five_billion_is_accepted_and_paid(
    app: Litestar, stack: AsyncExitStack
) -> None:
    (designer, tailor), designer_id, tailor_id = await people(stack, app)
    public_id = await publish(designer, "bidding")
    order = await Order.select().where(Order.public_id == public_id).first()
    offered = await post_form(
        tailor,
        f"/orders/{public_id}/offers",
        {"price_per_piece": "500.000", "ready_by": order["deadline"].isoformat(), "note": ""},
        follow_redirects=False,
    )
    assert offered.status_code == 303, offered.text
    offer = (
        await Offer.select(Offer.public_id, Offer.version).where(Offer.order == order["id"]).first()
    )
    offers_page = (await designer.get(f"/orders/{public_id}")).text
    assert TOTAL in offers_page  # the offer's total, as the designer compares them

    accepted = await post_form(
        designer,
        f"/orders/{public_id}/offers/{offer['public_id']}/accept",
        {"version": str(offer["version"])},
        follow_redirects=False,
    )

    assert accepted.status_code == 303, accepted.text
    assert (await Order.select(Order.agreed_price_per_piece).where(Order.id == order["id"]))[0][
        "agreed_price_per_piece"
    ] == PRICE
    deal = Deal(designer, tailor, tailor, designer_id, tailor_id, public_id)
    await assert_lists_show_the_total(deal)
    await assert_paid_through(deal)
