"""Order di sekitar Anda: the tailor's feed of open orders, nearest first."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.orders.posting.services import cancel
from server.orders.tables import Order, OrderStatus
from tests.builders.orders import order
from tests.builders.people import signed_in_designer, signed_in_tailor
from tests.builders.places import BANDUNG_BARAT, KOTA_BANDUNG, KOTA_CIMAHI, SUMEDANG
from tests.helpers import HX

Clients = tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]]


@pytest.fixture
async def other_client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as second:
        yield second


@pytest.fixture
async def clients(
    client: AsyncTestClient[Litestar], other_client: AsyncTestClient[Litestar]
) -> Clients:
    """A tailor's browser and a designer's browser, the designer signed up."""
    return client, other_client


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/orders/[0-9a-f-]+">([^<]+)</a></h2>', html)


async def test_feed_shows_open_orders_nearest_first(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    await order(buyer, title="Seragam Sumedang", city=SUMEDANG, category="seragam", reach_km=50)
    await order(buyer, title="Kemeja Cimahi", city=KOTA_CIMAHI, reach_km=10)
    await order(buyer, title="Kemeja Bandung", city=KOTA_BANDUNG, sizes={"M": 20, "L": 30})
    await order(buyer, title="Kemeja Cimahi yang baru", city=KOTA_CIMAHI)  # not reached yet
    response = await tailor_client.get("/jobs")
    assert response.status_code == 200
    assert titles(response.text) == ["Kemeja Bandung", "Kemeja Cimahi", "Seragam Sumedang"]
    html = response.text
    assert "Order di sekitar Anda" in html
    assert "50 pcs</strong> · Rp45.000/pcs · Total Rp2.250.000" in html
    assert "0,1 km · Bandung" in html
    assert "9,9 km · Cimahi" in html
    assert "Tenggat " in html and "(14 hari)" in html
    assert "Batik Kirana" in html
    assert "Sesuai keahlian Anda: kemeja · dalam 5 km" in html
    assert "Sesuai keahlian Anda: kemeja · dalam 10 km" in html
    assert "Sesuai keahlian Anda: seragam · dalam 50 km" in html
    assert "Anda bisa kemeja" not in html
    assert "Ambil</button>" not in html  # Penawaran orders are answered on the order page


async def test_feed_page_is_kept_offline_with_its_age(clients: Clients) -> None:
    tailor_client, designer_client = clients
    await signed_in_designer(designer_client)
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    response = await tailor_client.get("/jobs")
    assert response.headers["offline-cache"] == "page"
    assert "hx-request" in response.headers["vary"].lower()
    # The offline banner reads the page's age from here ("Diperbarui 12 menit yang lalu").
    assert 'data-rendered-at="' in response.text
    assert "Diperbarui {age}." in response.text


async def test_feed_leaves_out_what_the_tailor_cannot_take(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", radius=15, minimum_order=30, onboarded=True
    )
    await order(buyer, title="Kebaya wisuda", category="kebaya")
    await order(buyer, title="Kemeja terlalu jauh", city=SUMEDANG, reach_km=50)
    await order(buyer, title="Kemeja terlalu sedikit", sizes={"M": 20})
    taken = await order(buyer, title="Kemeja sudah diambil", mode="direct")
    await Order.update({Order.status: OrderStatus.ASSIGNED}).where(Order.public_id == taken)
    cancelled = await order(buyer, title="Kemeja dibatalkan")
    await cancel(buyer, cancelled, "Tidak jadi")
    await order(buyer, title="Kemeja yang pas", city=BANDUNG_BARAT, reach_km=20)
    assert titles((await tailor_client.get("/jobs")).text) == ["Kemeja yang pas"]


async def test_feed_filters_by_category_and_distance(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", radius=20, onboarded=True
    )
    await order(buyer, title="Kemeja dekat")
    await order(buyer, title="Seragam Cimahi", city=KOTA_CIMAHI, category="seragam", reach_km=10)
    await order(buyer, title="Kemeja Bandung Barat", city=BANDUNG_BARAT, reach_km=20)
    by_category = (await tailor_client.get("/jobs?category=seragam")).text
    assert titles(by_category) == ["Seragam Cimahi"]
    assert '<option value="seragam" selected>' in by_category
    assert titles((await tailor_client.get("/jobs?km=5")).text) == ["Kemeja dekat"]
    assert titles((await tailor_client.get("/jobs?km=10&category=kemeja")).text) == ["Kemeja dekat"]
    # Farther than the tailor's own radius is capped by it; unknown choices are ignored.
    capped = (await tailor_client.get("/jobs?km=50&category=kebaya")).text
    assert titles(capped) == ["Kemeja dekat", "Seragam Cimahi", "Kemeja Bandung Barat"]
    assert "Seluruh radius saya (20 km)" in capped
    assert 'value="50"' not in capped
    assert (await tailor_client.get("/jobs?km=abc&page=-3")).status_code == 200


async def test_more_loads_the_next_cards_as_a_fragment(
    clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.orders.offers.routes.PAGE_SIZE", 2)
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    for title, city in [("Satu", KOTA_BANDUNG), ("Dua", KOTA_CIMAHI), ("Tiga", BANDUNG_BARAT)]:
        await order(buyer, title=f"Kemeja {title}", city=city, reach_km=20)
    first = (await tailor_client.get("/jobs?category=kemeja")).text
    assert titles(first) == ["Kemeja Satu", "Kemeja Dua"]
    assert 'hx-get="/jobs?category=kemeja&amp;page=2"' in first
    assert 'href="/jobs?category=kemeja&amp;page=2"' in first
    fragment = await tailor_client.get("/jobs?category=kemeja&page=2", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "<form" not in fragment.text
    assert titles(fragment.text) == ["Kemeja Tiga"]
    assert fragment.text.lstrip().startswith('<article id="order-')
    assert "jobs-more" not in fragment.text
    assert "offline-cache" not in fragment.headers
    # Without JavaScript the same link opens page 2 as a page of its own.
    page = await tailor_client.get("/jobs?category=kemeja&page=2")
    assert "<html" in page.text and titles(page.text) == ["Kemeja Tiga"]
    assert "Kembali ke order terdekat" in page.text


async def test_direct_orders_carry_a_take_button(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    direct = await order(buyer, title="Kemeja langsung", mode="direct")
    html = (await tailor_client.get("/jobs")).text
    assert f'id="order-{direct}-card"' in html
    assert f'action="/orders/{direct}/take"' in html
    assert "Ambil</button>" in html
    assert "Langsung" in html


async def test_switched_off_tailors_see_the_feed_and_why(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", available=False, onboarded=True
    )
    await order(buyer, title="Kemeja langsung", mode="direct")
    html = (await tailor_client.get("/jobs")).text
    assert titles(html) == ["Kemeja langsung"]
    assert '"Siap terima order" mati' in html
    assert "/take" not in html


async def test_unverified_tailors_see_why_and_no_orders(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True, verification="pending"
    )
    await order(buyer, title="Kemeja langsung", mode="direct")
    html = (await tailor_client.get("/jobs")).text
    assert titles(html) == []
    assert "menunggu verifikasi" in html


async def test_empty_feed_says_how_to_fill_it(clients: Clients) -> None:
    tailor_client, designer_client = clients
    await signed_in_designer(designer_client)
    await signed_in_tailor(tailor_client, "Rina Wati", "0812-1000-0009")
    unlocated = (await tailor_client.get("/jobs")).text
    assert "Kami belum tahu di mana Anda bekerja" in unlocated
    assert 'href="/onboarding"' in unlocated


async def test_nothing_nearby_suggests_widening_or_switching_on(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(
        tailor_client, "Siti Rahayu", "0812-1000-0001", radius=15, available=False, onboarded=True
    )
    await order(buyer, title="Kemeja Cimahi", city=KOTA_CIMAHI, reach_km=10)
    near = (await tailor_client.get("/jobs?km=5")).text
    assert "Belum ada order terbuka dalam 5 km saat ini." in near
    assert "Lihat lebih jauh: semua dalam 15 km" in near
    await Order.update({Order.status: OrderStatus.EXPIRED}).where(Order.title == "Kemeja Cimahi")
    nothing = (await tailor_client.get("/jobs")).text
    assert "Belum ada order terbuka dalam 15 km saat ini." in nothing
    assert 'href="/onboarding/work"' in nothing
    assert "Nyalakan" in nothing


async def test_home_links_to_the_feed_with_its_count(clients: Clients) -> None:
    tailor_client, designer_client = clients
    buyer = (await signed_in_designer(designer_client))["id"]
    await signed_in_tailor(tailor_client, "Siti Rahayu", "0812-1000-0001", onboarded=True)
    await order(buyer, title="Kemeja satu")
    await order(buyer, title="Kemeja dua", city=KOTA_CIMAHI, reach_km=10)
    home = (await tailor_client.get("/home")).text
    assert 'hx-get="/jobs/summary"' in home
    assert 'href="/jobs"' in home
    summary = await tailor_client.get("/jobs/summary", headers=HX)
    assert "<html" not in summary.text
    assert "Order di sekitar Anda: <strong>2 baru</strong>" in summary.text
    assert "hx-get" not in summary.text


async def test_designers_cannot_open_the_feed(clients: Clients) -> None:
    _tailor_client, designer_client = clients
    await signed_in_designer(designer_client)
    response: Any = await designer_client.get("/jobs")
    assert response.status_code == 403
