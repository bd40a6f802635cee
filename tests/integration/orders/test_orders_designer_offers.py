"""The designer's order page: offers side by side, accept, decline, cancel, edit, and who may."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.notifications.tables import Notification
from server.orders.tables import Offer, Order
from tests.builders.orders import ORDER, client_for, offer, published_order, reach
from tests.builders.people import ONBOARDING_FORM, signed_in, signed_in_admin, signed_in_tailor
from tests.helpers import HX, post_form

SEEN = {"version": "1"}  # the offer as the designer read it: its first version


@dataclass
class Market:
    app: Litestar
    stack: AsyncExitStack
    designer: AsyncTestClient[Any]
    order: dict[str, Any]
    tailors: dict[str, dict[str, Any]]
    tailor_clients: dict[str, AsyncTestClient[Any]]

    def url(self, tail: str = "") -> str:
        return f"/orders/{self.order['public_id']}{tail}"

    async def offer_of(self, name: str) -> dict[str, Any]:
        row: dict[str, Any] = (
            await Offer.select()
            .where((Offer.order == self.order["id"]) & (Offer.tailor == self.tailors[name]["id"]))
            .first()
        )
        return row

    async def reload(self) -> dict[str, Any]:
        row: dict[str, Any] = await Order.select().where(Order.id == self.order["id"]).first()
        return row


@pytest.fixture
async def market(app: Litestar) -> AsyncIterator[Market]:
    """An open Penawaran order in Kota Bandung with three offers, one per tailor:
    Siti (here, ★4,8, Rp48.000, 14 days), Rina (3,6 km, ★4,2, Rp45.000, 10 days) and
    Ani (15,7 km in Kabupaten Bandung, no rating, Rp42.000, 18 days)."""
    async with AsyncExitStack() as stack:
        tailors, clients = {}, {}
        profiles: dict[str, dict[str, Any]] = {
            "Siti": {"rating_average": 4.8, "rating_count": 12, "completed_orders": 12},
            "Rina": {"rating_average": 4.2, "rating_count": 3, "latitude": -6.95},
            "Ani": {
                "latitude": -7.023,
                "longitude": 107.525,
                "city_code": "32.04",
                "service_radius_km": 20,
            },
        }
        for number, (name, profile) in enumerate(profiles.items()):
            clients[name] = await client_for(stack, app)
            tailors[name] = await signed_in_tailor(
                clients[name],
                f"{name} Penjahit",
                f"0812-3456-70{number}0",
                onboarded=True,
                **ONBOARDING_FORM,
                **profile,
            )
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        order = await published_order(designer)
        await reach(order["id"], 20)  # nobody answered the first waves
        await offer(
            tailors["Siti"]["id"],
            order["public_id"],
            48_000,
            days=14,
            note="Bisa mulai minggu ini.",
        )
        await offer(
            tailors["Rina"]["id"],
            order["public_id"],
            45_000,
            days=10,
            note="Sudah biasa seragam kantor.",
        )
        await offer(
            tailors["Ani"]["id"],
            order["public_id"],
            42_000,
            days=18,
            note="Harga termasuk kancing.",
        )
        yield Market(app, stack, designer, order, tailors, clients)


async def act(client: AsyncTestClient[Any], url: str, form: dict[str, Any]) -> Any:
    return await post_form(client, url, form, follow_redirects=False)


def order_of_names(text: str) -> list[str]:
    section = text[text.index('class="offer-cards"') :]
    return sorted(("Siti", "Rina", "Ani"), key=lambda name: section.index(f"{name} Penjahit"))


async def offer_notifications(account: dict[str, Any]) -> list[str]:
    rows = await Notification.select(Notification.title).where(
        (Notification.account == account["id"]) & (Notification.kind == "offer")
    )
    return [row["title"] for row in rows]


async def test_offers_are_shown_side_by_side_and_sorted(market: Market) -> None:
    page = await market.designer.get(market.url())
    assert page.status_code == 200
    text = page.text
    assert "3 penawaran" in text
    assert order_of_names(text) == ["Ani", "Rina", "Siti"]  # cheapest first
    assert "Rp42.000/pcs" in text and "Total Rp2.100.000" in text
    assert text.count("Tersertifikasi SKKNI") == 3
    assert "★4,8 (12)" in text and "belum ada" in text
    assert "3,6 km" in text and "15,7 km" in text
    assert f"/tailors/{market.tailors['Ani']['public_id']}" in text
    assert "Harga termasuk kancing." in text
    expected = {"distance": ["Siti", "Rina", "Ani"], "rating": ["Siti", "Rina", "Ani"]}
    expected["ready"] = ["Rina", "Siti", "Ani"]
    for sort, names in expected.items():
        assert (
            order_of_names((await market.designer.get(market.url(f"?sort={sort}"))).text) == names
        )
    fragment = await market.designer.get(market.url("?sort=ready"), headers=HX)
    assert fragment.text.lstrip().startswith(
        f'<section id="order-{market.order["public_id"]}-offers"'
    )
    assert "<html" not in fragment.text
    assert order_of_names(fragment.text) == ["Rina", "Siti", "Ani"]


async def test_accepting_an_offer_assigns_the_order_and_tells_every_offerer(
    market: Market,
) -> None:
    rina = await market.offer_of("Rina")
    response = await act(market.designer, market.url(f"/offers/{rina['public_id']}/accept"), SEEN)
    assert response.status_code == 303
    assert response.headers["location"] == market.url()
    order = await market.reload()
    assert order["status"] == "assigned"
    assert order["assigned_tailor"] == market.tailors["Rina"]["id"]
    assert order["agreed_price_per_piece"] == 45_000
    statuses = {name: (await market.offer_of(name))["status"] for name in market.tailors}
    assert statuses == {"Rina": "accepted", "Siti": "declined", "Ani": "declined"}
    for name in market.tailors:
        assert len(await offer_notifications(market.tailors[name])) == 1
    page = await market.designer.get(market.url())
    assert "Diambil oleh Rina Penjahit" in page.text
    assert "/accept" not in page.text and "Ubah order" not in page.text


async def test_a_second_acceptance_is_refused_and_changes_nothing(market: Market) -> None:
    rina, siti = await market.offer_of("Rina"), await market.offer_of("Siti")
    await act(market.designer, market.url(f"/offers/{rina['public_id']}/accept"), SEEN)
    again = await act(market.designer, market.url(f"/offers/{siti['public_id']}/accept"), SEEN)
    assert again.status_code == 409
    assert "Order ini sudah tidak terbuka" in again.text
    order = await market.reload()
    assert order["assigned_tailor"] == market.tailors["Rina"]["id"]
    assert (await market.offer_of("Siti"))["status"] == "declined"
    same = await act(market.designer, market.url(f"/offers/{rina['public_id']}/accept"), SEEN)
    assert same.status_code == 409
    assert len(await offer_notifications(market.tailors["Siti"])) == 1


async def test_declining_an_offer_tells_the_tailor_and_takes_it_off_the_page(
    market: Market,
) -> None:
    ani = await market.offer_of("Ani")
    response = await act(market.designer, market.url(f"/offers/{ani['public_id']}/decline"), {})
    assert response.status_code == 303
    assert (await market.offer_of("Ani"))["status"] == "declined"
    assert len(await offer_notifications(market.tailors["Ani"])) == 1
    assert await offer_notifications(market.tailors["Siti"]) == []
    page = await market.designer.get(market.url())
    assert "Ani Penjahit" not in page.text and "2 penawaran" in page.text
    again = await act(market.designer, market.url(f"/offers/{ani['public_id']}/decline"), {})
    assert again.status_code == 409
    assert "Penawaran itu sudah tidak berlaku." in again.text


async def test_cancelling_needs_a_reason_and_tells_the_offerers(market: Market) -> None:
    missing = await act(market.designer, market.url("/cancel"), {"reason": " "})
    assert missing.status_code == 400
    assert "Tulis alasan yang akan dibaca penjahit" in missing.text
    assert (await market.reload())["status"] == "open"
    response = await act(market.designer, market.url("/cancel"), {"reason": "Klien menunda acara."})
    assert response.status_code == 303
    assert (await market.reload())["status"] == "cancelled"
    for name in market.tailors:
        assert len(await offer_notifications(market.tailors[name])) == 1
        assert (await market.offer_of(name))["status"] == "declined"
    page = await market.designer.get(market.url())
    assert "Dibatalkan" in page.text
    again = await act(market.designer, market.url("/cancel"), {"reason": "Sekali lagi."})
    assert again.status_code == 409


async def test_editing_an_open_order_changes_it_and_tells_live_offerers(market: Market) -> None:
    changes = {**ORDER, "title": "Kemeja batik lengan pendek", "size_M": "30"}
    changes |= {"budget_per_piece": "50000", "description": "Katun primisima."}
    response = await act(market.designer, market.url(), changes)
    assert response.status_code == 303
    order = await market.reload()
    assert (order["title"], order["quantity"], order["budget_per_piece"]) == (
        "Kemeja batik lengan pendek",
        60,
        50_000,
    )
    assert (order["category"], order["city_code"]) == (market.order["category"], "32.73")
    for name in market.tailors:
        titles = await offer_notifications(market.tailors[name])
        assert titles == ["Order diubah: Kemeja batik lengan pendek"]
    page = await market.designer.get(market.url())
    assert "Total Rp3.000.000" in page.text

    bad = await act(market.designer, market.url(), {**changes, "budget_per_piece": ""})
    assert bad.status_code == 400
    assert "Tulis angka bulat." in bad.text
    assert (await market.reload())["budget_per_piece"] == 50_000

    await act(market.designer, market.url("/cancel"), {"reason": "Tidak jadi."})
    late = await act(market.designer, market.url(), changes)
    assert late.status_code == 409


async def test_another_designers_order_is_not_found_whatever_they_try(market: Market) -> None:
    other = await client_for(market.stack, market.app)
    await signed_in(other, "designer", "Rina Brand", "0813-2222-3333")
    siti = await market.offer_of("Siti")
    assert (await other.get(market.url())).status_code == 404
    attempts = {
        market.url(): {**ORDER, "title": "Diambil alih"},
        market.url("/cancel"): {"reason": "Bukan punya saya."},
        market.url(f"/offers/{siti['public_id']}/accept"): SEEN,
        market.url(f"/offers/{siti['public_id']}/decline"): {},
    }
    for url, form in attempts.items():
        assert (await act(other, url, form)).status_code == 404, url
    order = await market.reload()
    assert (order["status"], order["title"]) == ("open", ORDER["title"])
    assert (await market.offer_of("Siti"))["status"] == "live"


async def test_an_offer_cannot_be_accepted_through_another_order(market: Market) -> None:
    second = await published_order(market.designer, title="Seragam batik guru")
    siti = await market.offer_of("Siti")
    wrong = f"/orders/{second['public_id']}/offers/{siti['public_id']}/accept"
    assert (await act(market.designer, wrong, {})).status_code == 404
    assert (await market.reload())["status"] == "open"


async def test_a_tailor_never_sees_the_other_tailors_offers(market: Market) -> None:
    page = await market.tailor_clients["Siti"].get(market.url())
    assert page.status_code == 200
    for name, note in (("Rina", "Sudah biasa seragam kantor."), ("Ani", "Harga termasuk kancing.")):
        assert f"{name} Penjahit" not in page.text
        assert note not in page.text
    assert "Rp42.000" not in page.text
    assert "/accept" not in page.text and "/decline" not in page.text


async def test_nobody_answered_explains_the_waves_and_admins_see_the_log(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        near = await signed_in_tailor(
            await client_for(stack, app),
            "Siti Penjahit",
            "0812-3456-7000",
            onboarded=True,
            **ONBOARDING_FORM,
        )
        far = await client_for(stack, app)
        await signed_in_tailor(
            far,
            "Ani Penjahit",
            "0812-3456-7010",
            onboarded=True,
            **ONBOARDING_FORM,
            latitude=-7.023,
            longitude=107.5,
        )
        await signed_in_tailor(
            await client_for(stack, app),
            "Tuti Penjahit",
            "0812-3456-7020",
            onboarded=True,
            **ONBOARDING_FORM,
            available=False,
        )
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        order = await published_order(designer)
        page = await designer.get(f"/orders/{order['public_id']}")
        assert "Mengapa belum ada yang menjawab" in page.text
        assert "Gelombang 1, radius 5 km: 1 penjahit diberi tahu" in page.text
        assert "hingga 5 km" in page.text
        assert "Log pengiriman order" not in page.text and "Ani Penjahit" not in page.text

        admin = await client_for(stack, app)
        await signed_in_admin(admin)
        log = await admin.get(f"/orders/{order['public_id']}")
        assert log.status_code == 200
        assert "Log pengiriman order (admin)" in log.text
        assert "diberi tahu: masuk peringkat gelombang ini" in log.text
        assert "di luar radius gelombang ini" in log.text
        assert "tidak sedang siap terima order" in log.text
        assert f"/tailors/{near['public_id']}" in log.text
        assert "Batalkan order" not in log.text  # admins read; only the owner acts
