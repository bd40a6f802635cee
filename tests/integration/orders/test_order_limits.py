"""The business limits of an order, refused with a message that states them: a total of at
most Rp10 miliar, a price per piece within its range, deadlines and ready-by dates at most a
year ahead — on the order form, the offer form and the order edit. Nothing is written."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.orders.tables import Message, Offer, Order
from tests.builders.orders import Client, deal, member, order, post_order
from tests.builders.places import today
from tests.helpers import post_form

TOTAL_REFUSAL = "Total satu order paling banyak Rp10.000.000.000"
DEADLINE_REFUSAL = "Tenggat paling lama setahun dari sekarang: paling lambat"
READY_REFUSAL = "Tanggal siap paling lama setahun dari sekarang: paling lambat"
PRICE_REFUSAL = "Tulis harga per potong antara Rp1.000 dan Rp100.000.000."
NO_SIZES = {"size_S": "", "size_M": "", "size_L": "", "size_XL": ""}


async def designer_and_tailor(stack: AsyncExitStack, app: Litestar) -> tuple[Client, Client, int]:
    clients = [await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(2)]
    designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
    await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
    return clients[0], clients[1], designer_id


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({**NO_SIZES, "size_M": "100.000", "budget_per_piece": "100.001"}, TOTAL_REFUSAL),
        ({"budget_per_piece": "999"}, PRICE_REFUSAL),
        ({"budget_per_piece": "100.000.001"}, PRICE_REFUSAL),
        ({"deadline": (today() + timedelta(days=366)).isoformat()}, DEADLINE_REFUSAL),
        ({"deadline": "9999-12-31"}, DEADLINE_REFUSAL),
    ],
)
async def test_order_form_refuses_beyond_the_limits_and_says_which(
    app: Litestar, stack: AsyncExitStack, change: dict[str, str], refusal: str
) -> None:
    designer, _tailor, _id = await designer_and_tailor(stack, app)
    for action in ("preview", "publish"):
        response = await post_order(designer, action, **change)
        assert response.status_code == 400
        assert refusal in response.text
    assert await Order.count() == 0


async def test_order_form_takes_the_limits_themselves(app: Litestar, stack: AsyncExitStack) -> None:
    designer, _tailor, _id = await designer_and_tailor(stack, app)
    last_day = (today() + timedelta(days=365)).isoformat()
    form = await designer.get("/orders/new")
    assert f'max="{last_day}"' in form.text
    response = await post_order(
        designer,
        "publish",
        **{**NO_SIZES, "size_M": "100.000", "budget_per_piece": "100.000"},
        deadline=last_day,
    )
    assert response.status_code == 303, response.text
    row = await Order.select(Order.quantity, Order.budget_per_piece, Order.deadline).first()
    assert row == {
        "quantity": 100_000,
        "budget_per_piece": 100_000,
        "deadline": date.fromisoformat(last_day),
    }


async def test_order_edit_refuses_a_deadline_beyond_the_window(
    app: Litestar, stack: AsyncExitStack
) -> None:
    designer, _tailor, designer_id = await designer_and_tailor(stack, app)
    public_id = await order(designer_id)
    before = await Order.select().where(Order.public_id == public_id).first()
    response = await post_form(
        designer,
        f"/orders/{public_id}",
        {
            "title": before["title"],
            "size_M": "20",
            "size_L": "30",
            "budget_per_piece": "45000",
            "deadline": "9999-12-31",
        },
    )
    assert response.status_code == 400
    assert DEADLINE_REFUSAL in response.text
    assert await Order.select().where(Order.public_id == public_id).first() == before


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"price_per_piece": "500.000.000"}, PRICE_REFUSAL),
        ({"price_per_piece": "100.000.000"}, TOTAL_REFUSAL),  # 200 pcs: Rp20 miliar
        ({"ready_by": "9999-12-31"}, READY_REFUSAL),
    ],
)
async def test_offer_form_refuses_beyond_the_limits_and_says_which(
    app: Litestar, stack: AsyncExitStack, fields: dict[str, str], refusal: str
) -> None:
    _designer, tailor, designer_id = await designer_and_tailor(stack, app)
    public_id = await order(designer_id, sizes={"M": 200})
    # An order from before deadlines were bounded: the offer's own window still holds.
    await Order.update({Order.deadline: date(9999, 12, 31)}).where(Order.public_id == public_id)
    offer = {"price_per_piece": "45.000", "ready_by": today().isoformat(), "note": "", **fields}
    response = await post_form(tailor, f"/orders/{public_id}/offers", offer)
    assert response.status_code == 400
    assert refusal in response.text
    assert await Offer.count() == 0
    page = await tailor.get(f"/orders/{public_id}")
    assert f'max="{(today() + timedelta(days=365)).isoformat()}"' in page.text


async def test_text_with_nul_characters_is_stored_without_them(
    app: Litestar, stack: AsyncExitStack
) -> None:
    """PostgreSQL refuses NUL in text: a pasted one used to answer 500 there."""
    job = await deal(stack, app)
    sent = await post_form(job.tailor_client, f"{job.url}/messages", {"body": "Kain\x00 sudah"})
    assert sent.status_code < 400, sent.text
    assert [row["body"] for row in await Message.select(Message.body)] == ["Kain sudah"]
