"""A tailor answers an order: offers (make, change, withdraw) and taking a Langsung order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.media.services import store_photo
from server.orders.dispatching.waves import dispatch_next_wave
from server.orders.refusals import OrderError
from server.orders.tables import Offer, Order, OrderStatus
from tests.builders.orders import order
from tests.builders.people import signed_in_designer, signed_in_tailor
from tests.builders.places import KOTA_CIMAHI, today
from tests.helpers import HX, post_form, refusal_in_indonesian
from tests.images import jpeg_with_gps

Client = AsyncTestClient[Litestar]
SEEN = {"revision": "0"}  # the order as the tailor read it: as published


@pytest.fixture
async def browsers(app: Litestar) -> AsyncIterator[list[Client]]:
    """Three browsers: a designer's and two tailors'."""
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(3)]


def offer_form(price: str = "42.000", days: int = 10, note: str = "Bisa kirim sampel") -> dict:
    return {
        "price_per_piece": price,
        "ready_by": (today() + timedelta(days=days)).isoformat(),
        "note": note,
    }


async def offers_of(public_id: UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Offer.select().where(
        Offer.order.is_in(Order.select(Order.id).where(Order.public_id == public_id))
    )
    return rows


async def test_order_page_has_everything_to_decide(browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    public_id = await order(buyer, city=KOTA_CIMAHI, sizes={"S": 10, "M": 20, "ALL": 5})
    first_wave = await tailor_client.get(f"/orders/{public_id}")
    assert first_wave.status_code == 404  # the order has not reached 9,9 km yet
    row = await Order.select(Order.id).where(Order.public_id == public_id).first()
    await dispatch_next_wave(row["id"])
    response = await tailor_client.get(f"/orders/{public_id}")
    assert response.status_code == 200
    assert response.headers["offline-cache"] == "page"
    html = response.text
    assert "35 pcs</strong> · Rp45.000/pcs · Total Rp1.575.000" in html
    assert "S 10 · M 20 · All size 5" in html
    assert "Kain disediakan desainer" in html
    assert "Tanpa sampel" in html
    assert "(14 hari)" in html
    assert "Cimahi · 9,9 km dari Anda" in html
    assert "Batik Kirana" in html
    assert (
        "Kenapa order ini sampai ke Anda: dikirim pada gelombang 2 (ke penjahit dalam radius"
        " 10 km), jarak Anda 9,9 km, dan kemeja termasuk keahlian Anda." in html
    )
    assert f'id="order-{public_id}-action"' in html
    assert 'name="price_per_piece" inputmode="numeric" required value="45000"' in html
    # One "send" control: the sheet opens with its own words (a <details>, no JavaScript needed).
    assert '<summary class="button primary block">Buat penawaran</summary>' in html
    assert html.count("Kirim penawaran") == 1


async def test_reference_photos_are_thumbnails(app: Litestar, browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    photo = await store_photo(app.state.media, buyer, "order", jpeg_with_gps())
    public_id = await order(buyer, photo_ids=(photo["id"],))
    html = (await tailor_client.get(f"/orders/{public_id}")).text
    assert f'src="/media/{photo["public_id"]}/small.webp" width="320"' in html
    assert f'href="/media/{photo["public_id"]}/large.webp"' in html
    thumbnail = await tailor_client.get(f"/media/{photo['public_id']}/small.webp")
    assert thumbnail.status_code == 200


async def test_offer_is_made_then_changed_then_withdrawn(browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    public_id = await order(buyer)
    made = await post_form(
        tailor_client, f"/orders/{public_id}/offers", offer_form(), follow_redirects=False
    )
    assert made.status_code == 303
    assert made.headers["location"] == f"/orders/{public_id}"
    page = (await tailor_client.get(f"/orders/{public_id}")).text
    assert "Penawaran Anda:</strong> Rp42.000/pcs" in page
    assert "Ubah" in page and "Tarik penawaran" in page
    await post_form(tailor_client, f"/orders/{public_id}/offers", offer_form("40000", 12, ""))
    [offer] = await offers_of(public_id)
    assert (offer["price_per_piece"], offer["status"], offer["note"]) == (40_000, "live", "")
    assert offer["ready_by"] == today() + timedelta(days=12)
    withdrawn = await post_form(
        tailor_client, f"/orders/{public_id}/offers/withdraw", {}, follow_redirects=False
    )
    assert withdrawn.status_code == 303
    [offer] = await offers_of(public_id)
    assert offer["status"] == "withdrawn"
    page = (await tailor_client.get(f"/orders/{public_id}")).text
    assert "Anda sudah menarik penawaran" in page
    again = await post_form(tailor_client, f"/orders/{public_id}/offers/withdraw", {})
    assert again.status_code == 409
    assert refusal_in_indonesian(OrderError, "offer_gone") in again.text
    await post_form(tailor_client, f"/orders/{public_id}/offers", offer_form("43000"))
    [offer] = await offers_of(public_id)
    assert (offer["price_per_piece"], offer["status"]) == (43_000, "live")


async def test_offer_with_htmx_swaps_only_the_bottom_sheet(browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    public_id = await order(buyer)
    response = await post_form(
        tailor_client, f"/orders/{public_id}/offers", offer_form(), headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<section id="order-{public_id}-action"')
    assert "Penawaran Anda sudah dikirim ke desainer." in response.text
    refused = await post_form(
        tailor_client, f"/orders/{public_id}/offers", offer_form("abc"), headers=HX
    )
    assert refused.status_code == 400
    assert "<html" not in refused.text
    assert 'aria-invalid="true"' in refused.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price_per_piece": "empat puluh ribu"}, "Tulis angka bulat."),
        ({"price_per_piece": "500"}, "Tulis harga per potong antara Rp1.000 dan Rp100.000.000."),
        ({"ready_by": "besok"}, "Pilih tanggal."),
        ({"ready_by": (today() - timedelta(days=1)).isoformat()}, None),
        ({"ready_by": (today() + timedelta(days=15)).isoformat()}, None),
        ({"note": "x" * 501}, "Teks itu terlalu panjang."),
    ],
)
async def test_bad_offer_is_refused_and_nothing_written(
    browsers: list[Client], fields: dict[str, str], message: str | None
) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    public_id = await order(buyer)
    response = await post_form(
        tailor_client, f"/orders/{public_id}/offers", {**offer_form(), **fields}
    )
    assert response.status_code == 400
    assert 'class="form-error"' in response.text
    if message:
        assert message in response.text
    assert await offers_of(public_id) == []


async def test_switched_off_tailors_may_look_but_are_refused_with_their_reason(
    browsers: list[Client],
) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", available=False, onboarded=True
    )
    bidding = await order(buyer)
    direct = await order(buyer, mode="direct")
    page = (await tailor_client.get(f"/orders/{bidding}")).text
    assert "disabled>Kirim penawaran</button>" in page
    assert 'href="/home"' in page
    offered = await post_form(tailor_client, f"/orders/{bidding}/offers", offer_form())
    assert offered.status_code == 403
    assert '"Siap terima order"' in offered.text
    assert refusal_in_indonesian(OrderError, "switched_off") in offered.text
    sloppy = await post_form(tailor_client, f"/orders/{bidding}/offers", offer_form("abc"))
    assert sloppy.status_code == 403  # their reason comes before any field's
    assert refusal_in_indonesian(OrderError, "switched_off") in sloppy.text
    taken = await post_form(tailor_client, f"/orders/{direct}/take", SEEN)
    assert taken.status_code == 403
    assert refusal_in_indonesian(OrderError, "switched_off") in taken.text
    assert await offers_of(bidding) == []
    row = await Order.select(Order.status).where(Order.public_id == direct).first()
    assert row["status"] == OrderStatus.OPEN


async def test_direct_order_goes_to_exactly_one_tailor(browsers: list[Client]) -> None:
    designer_client, first_client, second_client = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    first = (await signed_in_tailor(first_client, "Siti Rahayu", "0812-1000-0001", onboarded=True))[
        "id"
    ]
    await signed_in_tailor(second_client, "Rina Wati", "0812-1000-0002", onboarded=True)
    public_id = await order(buyer, mode="direct")
    page = (await second_client.get(f"/orders/{public_id}")).text
    assert "Ambil order ini" in page
    won = await post_form(first_client, f"/orders/{public_id}/take", SEEN, follow_redirects=False)
    assert won.status_code == 303
    assert won.headers["location"] == f"/orders/{public_id}"
    assert "Order ini untuk Anda" in (await first_client.get(f"/orders/{public_id}")).text
    lost = await post_form(second_client, f"/orders/{public_id}/take", SEEN)
    assert lost.status_code == 409
    assert "Sudah diambil penjahit lain" in lost.text
    assert "Ambil order ini" not in lost.text
    row = await Order.select().where(Order.public_id == public_id).first()
    assert (row["status"], row["assigned_tailor"]) == (OrderStatus.ASSIGNED, first)
    assert row["agreed_price_per_piece"] == 45_000
    assert str(public_id) not in (await second_client.get("/jobs")).text


async def test_modes_are_respected(browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    bidding = await order(buyer)
    direct = await order(buyer, mode="direct")
    took = await post_form(tailor_client, f"/orders/{bidding}/take", SEEN)
    assert took.status_code == 409
    assert refusal_in_indonesian(OrderError, "bidding_mode") in took.text
    offered = await post_form(tailor_client, f"/orders/{direct}/offers", offer_form())
    assert offered.status_code == 409
    assert refusal_in_indonesian(OrderError, "direct_mode") in offered.text
    assert await offers_of(direct) == []
    row = await Order.select(Order.status).where(Order.public_id == bidding).first()
    assert row["status"] == OrderStatus.OPEN


async def test_a_tailor_never_sees_other_tailors_offers(browsers: list[Client]) -> None:
    designer_client, first_client, second_client = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(first_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    await signed_in_tailor(second_client, "Rina Wati", "0812-1000-0002", onboarded=True)
    public_id = await order(buyer)
    await post_form(first_client, f"/orders/{public_id}/offers", offer_form("41000", note="Siti"))
    await post_form(second_client, f"/orders/{public_id}/offers", offer_form("39500", note="Rina"))
    assert len(await offers_of(public_id)) == 2
    first_page = (await first_client.get(f"/orders/{public_id}")).text
    second_page = (await second_client.get(f"/orders/{public_id}")).text
    assert "Rp41.000" in first_page and "Rp39.500" not in first_page and "Rina" not in first_page
    assert "Rp39.500" in second_page and "Rp41.000" not in second_page
    assert "Siti" not in second_page


async def test_closed_orders_say_so(browsers: list[Client]) -> None:
    designer_client, tailor_client, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    public_id = await order(buyer)
    await Order.update({Order.status: OrderStatus.ASSIGNED}).where(Order.public_id == public_id)
    page = (await tailor_client.get(f"/orders/{public_id}")).text
    assert "Sudah diambil penjahit lain" in page
    assert 'name="price_per_piece"' not in page
    refused = await post_form(tailor_client, f"/orders/{public_id}/offers", offer_form())
    assert refused.status_code == 409
    assert await offers_of(public_id) == []


async def test_unknown_orders_are_not_found(browsers: list[Client]) -> None:
    _, tailor_client, _ = browsers
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    missing = "00000000-0000-4000-8000-000000000000"
    for path in ("offers", "offers/withdraw", "take"):
        response = await post_form(tailor_client, f"/orders/{missing}/{path}", offer_form())
        assert response.status_code == 404


async def test_designers_cannot_use_tailor_routes(browsers: list[Client]) -> None:
    designer_client, _, _ = browsers
    buyer = (await signed_in_designer(designer_client))["id"]
    public_id = await order(buyer, mode="direct")
    for path in ("offers", "offers/withdraw", "take"):
        response = await post_form(designer_client, f"/orders/{public_id}/{path}", offer_form())
        assert response.status_code == 403
    row = await Order.select(Order.status).where(Order.public_id == public_id).first()
    assert row["status"] == OrderStatus.OPEN
