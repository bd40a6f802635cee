"""Posting an order: draft, preview, publish (with its first dispatch wave), photos, the list."""

from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import h3
import pytest
from litestar import Litestar

from server import regions
from server.media.tables import Photo
from server.notifications.tables import Notification
from server.orders.offers.feed import sizes_of
from server.orders.posting.checks import check_order
from server.orders.records import OrderRecord
from server.orders.tables import DispatchDecision, Order, OrderDraft, OrderPhoto
from server.tailors.services import H3_RESOLUTION
from tests.builders.orders import ORDER, client_for, post_order, published_order
from tests.builders.people import ONBOARDING_FORM, signed_in, signed_in_tailor
from tests.builders.places import KOTA_BANDUNG
from tests.helpers import HX
from tests.images import jpeg_with_gps, png

JPEG = ("kemeja.jpg", jpeg_with_gps(800, 600), "image/jpeg")


async def nothing_written() -> bool:
    return (await Order.count(), await OrderDraft.count(), await Photo.count()) == (0, 0, 0)


async def test_order_goes_from_draft_to_preview_to_published_and_reaches_a_nearby_tailor(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        tailor = await signed_in_tailor(
            await client_for(stack, app),
            "Siti Rahayu",
            "0812-3456-7890",
            onboarded=True,
            **ONBOARDING_FORM,
        )
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")

        # A draft keeps whatever was typed, even half a form.
        saved = await post_order(designer, "draft", title="Kemeja", budget_per_piece="abc")
        assert saved.status_code == 303
        assert saved.headers["location"].startswith("/orders/drafts/")
        reopened = await designer.get(saved.headers["location"])
        assert reopened.status_code == 200
        assert "Draf tersimpan" in reopened.text
        assert 'value="abc"' in reopened.text and "Kota Bandung" in reopened.text
        draft_id = saved.headers["location"].split("/")[-1].split("?")[0]
        assert await Order.count() == 0

        preview = await post_order(designer, "preview", draft_id=draft_id)
        assert preview.status_code == 200
        assert "Pratinjau order Anda" in preview.text
        assert "50 pcs · Rp45.000/pcs" in preview.text
        assert "Total Rp2.250.000" in preview.text
        assert "S 10 · M 20 · L 15 · XL 5" in preview.text
        assert "Kota Bandung, Jawa Barat" in preview.text
        assert "Pasang sekarang" in preview.text and "Ubah" in preview.text
        assert await Order.count() == 0

        published = await post_order(designer, "publish", draft_id=draft_id)
        assert published.status_code == 303
        order = await Order.select().first()
        assert published.headers["location"] == f"/orders/{order['public_id']}"
        city = regions.city(KOTA_BANDUNG)
        assert city is not None
        assert (order["quantity"], order["budget_per_piece"], order["status"]) == (
            50,
            45000,
            "open",
        )
        assert (order["city_code"], order["province_code"]) == (KOTA_BANDUNG, "32")
        assert order["h3_cell"] == h3.latlng_to_cell(city.latitude, city.longitude, H3_RESOLUTION)
        sizes = sizes_of(OrderRecord.from_row(order))
        assert sizes == {"S": 10, "M": 20, "L": 15, "XL": 5, "custom": "2 potong ukuran khusus"}
        assert order["sample_first"] is True and order["mode"] == "bidding"
        assert await OrderDraft.count() == 0

        # Wave 1 went out with the publication, and the tailor was alerted.
        assert order["dispatch_wave"] == 1 and order["dispatch_radius_km"] == 5
        decision = await DispatchDecision.select().where(DispatchDecision.tailor == tailor["id"])
        assert [row["outcome"] for row in decision] == ["alerted"]
        assert await Notification.exists().where(
            (Notification.account == tailor["id"]) & (Notification.kind == "new_order")
        )
        page = await designer.get(published.headers["location"])
        assert page.status_code == 200
        assert "Belum ada penawaran" in page.text
        assert "Gelombang 1, radius 5 km: 1 penjahit diberi tahu" in page.text
        assert "gelombang berikutnya menjangkau lebih jauh pada" in page.text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"category": "jas"}, "category", "Pilih jenis pakaiannya."),
        ({"title": "ab"}, "title", "Tulis judul 3 sampai 120 karakter."),
        ({"description": "x" * 2001}, "description", "Teks itu terlalu panjang."),
        (
            {"size_S": "", "size_M": "", "size_L": "", "size_XL": ""},
            "sizes",
            "Tulis jumlah potong per ukuran",
        ),
        ({"size_M": "dua puluh"}, "size_M", "Tulis angka bulat."),
        (
            {"budget_per_piece": "500"},
            "budget_per_piece",
            "Tulis harga per potong antara Rp1.000 dan Rp100.000.000.",
        ),
        ({"fabric_by": ""}, "fabric_by", "Pilih siapa yang menyediakan kain."),
        ({"deadline": "besok"}, "deadline", "Pilih tanggal."),
        ({"deadline": date.today().isoformat()}, "deadline", "Tenggat paling cepat besok."),
        ({"city": "99.99"}, "city", "Pilih provinsi dan kota tempat order diambil."),
        ({"mode": "lelang"}, "mode", "Pilih Penawaran atau Langsung."),
    ],
)
async def test_preview_refuses_each_bad_field_and_writes_nothing(
    app: Litestar, change: dict[str, str], field: str, message: str
) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        response = await post_order(designer, "preview", files={"photos": JPEG}, **change)
        assert response.status_code == 400
        assert message in response.text
        assert f'id="{field}-error"' in response.text
        assert await nothing_written()
        published = await post_order(designer, "publish", **change)
        assert published.status_code == 400
        assert await nothing_written()


async def test_preview_reports_every_bad_field_at_once(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        response = await post_order(
            designer, "preview", category="", title="", budget_per_piece="x", city=""
        )
        assert response.status_code == 400
        for field in ("category", "title", "budget_per_piece", "city"):
            assert f'id="{field}-error"' in response.text
        assert 'value="Katun, lengan panjang, kancing kayu."' not in response.text  # a textarea
        assert "Katun, lengan panjang, kancing kayu." in response.text


async def test_a_file_that_is_not_a_photo_is_refused(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        files = [("photos", JPEG), ("photos", ("pola.svg", b"<svg/>", "image/svg+xml"))]
        response = await post_order(designer, "preview", files=files)
        assert response.status_code == 400
        assert "Berkas itu bukan foto" in response.text
        assert await nothing_written()


async def test_photos_stored_at_preview_are_carried_to_the_published_order(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        tailor = await client_for(stack, app)
        await signed_in_tailor(
            tailor, "Siti Rahayu", "0812-3456-7890", onboarded=True, **ONBOARDING_FORM
        )
        other = await client_for(stack, app)
        await signed_in(other, "designer", "Rina Brand", "0813-2222-3333")
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        files = [("photos", JPEG), ("photos", ("motif.png", png(), "image/png"))]
        preview = await post_order(designer, "preview", files=files)
        assert preview.status_code == 200
        photos = await Photo.select().order_by(Photo.id)
        assert [photo["kind"] for photo in photos] == ["order", "order"]
        for photo in photos:
            assert f'name="photo_ids" value="{photo["public_id"]}"' in preview.text
            assert f"/media/{photo['public_id']}/small.webp" in preview.text
        # Someone else's photo id slipped into the form is ignored.
        stranger = await post_order(other, "preview", files={"photos": JPEG})
        assert stranger.status_code == 200
        foreign = await Photo.select().where(Photo.owner != photos[0]["owner"]).first()
        ids = [str(photo["public_id"]) for photo in photos] + [str(foreign["public_id"])]
        order = await published_order(designer, photo_ids=ids)
        attached = await OrderPhoto.select(OrderPhoto.photo).where(OrderPhoto.order == order["id"])
        assert sorted(row["photo"] for row in attached) == [photo["id"] for photo in photos]
        page = await designer.get(f"/orders/{order['public_id']}")
        assert f"/media/{photos[0]['public_id']}/small.webp" in page.text
        url = f"/media/{photos[0]['public_id']}/small.webp"
        assert (await tailor.get(url)).status_code == 200
        assert (await other.get(url)).status_code == 404
        assert (await designer.get(url)).status_code == 200


async def test_change_from_preview_returns_to_the_form_with_values_and_photos(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        await post_order(designer, "preview", files={"photos": JPEG})
        photo = await Photo.select().first()
        response = await post_order(designer, "edit", photo_ids=str(photo["public_id"]))
        assert response.status_code == 200
        assert 'value="Kemeja batik seragam kantor"' in response.text
        assert f'name="photo_ids" value="{photo["public_id"]}" checked' in response.text
        assert "Rp2.250.000" in response.text  # the total, rendered by the server
        assert await Order.count() == 0


async def test_province_change_brings_its_cities_with_and_without_javascript(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        fragment = await designer.get("/orders/new?province=34", headers=HX)
        assert fragment.status_code == 200
        assert fragment.text.lstrip().startswith('<div id="order-city"')
        assert "Kota Yogyakarta" in fragment.text and "<html" not in fragment.text
        no_js = await post_order(designer, "cities", province="34", city="")
        assert no_js.status_code == 200
        assert "Kota Yogyakarta" in no_js.text
        assert 'value="Kemeja batik seragam kantor"' in no_js.text
        assert await nothing_written()


async def test_my_orders_lists_orders_and_drafts_newest_first_for_offline_reading(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        first = await published_order(designer, title="Seragam sekolah SD")
        second = await published_order(designer, title="Gamis lebaran", mode="direct")
        await Order.update({Order.status: "assigned"}).where(Order.id == first["id"])
        await post_order(designer, "draft", title="Kebaya wisuda")
        other = await client_for(stack, app)
        await signed_in(other, "designer", "Rina Brand", "0813-2222-3333")
        await published_order(other, title="Kaos komunitas")

        response = await designer.get("/orders")
        assert response.status_code == 200
        assert response.headers["offline-cache"] == "page"
        text = response.text
        assert text.index("Gamis lebaran") < text.index("Seragam sekolah SD")
        assert "Kebaya wisuda" in text and "Draf, disimpan" in text
        assert "Kaos komunitas" not in text
        assert "Menunggu penjahit" in text and "Dalam produksi" in text
        assert f"/orders/{second['public_id']}" in text
        assert "Offline-Cache" not in (await designer.get("/orders/new")).headers


async def test_drafts_of_others_and_unknown_drafts_are_not_found(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        owner = await client_for(stack, app)
        await signed_in(owner, "designer", "Dewi Desainer", "0813-1111-2222")
        saved = await post_order(owner, "draft")
        other = await client_for(stack, app)
        await signed_in(other, "designer", "Rina Brand", "0813-2222-3333")
        assert (await other.get(saved.headers["location"])).status_code == 404
        assert (await owner.get(f"/orders/drafts/{UUID(int=7)}")).status_code == 404
        # Saving "into" someone else's draft makes a new one instead.
        draft_id = saved.headers["location"].split("/")[-1].split("?")[0]
        again = await post_order(other, "draft", draft_id=draft_id, title="Punya Rina")
        assert draft_id not in again.headers["location"]
        row = await OrderDraft.select().where(OrderDraft.public_id == UUID(draft_id)).first()
        assert "Punya Rina" not in str(row["data"])


async def test_deadline_field_offers_tomorrow_as_the_earliest_date(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        page = await designer.get("/orders/new")
        tomorrow = (datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=1)).isoformat()
        assert f'min="{tomorrow}"' in page.text
        assert "data-order-total" in page.text and "data-price" in page.text


def test_order_fixture_is_a_valid_form() -> None:
    form, errors = check_order(dict(ORDER), date.today())
    assert errors == {} and form is not None and form.quantity == 50


async def test_order_list_renders_as_an_htmx_fragment(app: Litestar) -> None:
    """htmx asks for the list's block alone: what the block uses must be defined inside it."""
    async with AsyncExitStack() as stack:
        designer = await client_for(stack, app)
        await signed_in(designer, "designer", "Dewi Desainer", "0813-1111-2222")
        order = await published_order(designer)
        response = await designer.get("/orders", headers=HX)
        assert response.status_code == 200
        assert "<html" not in response.text and str(order["public_id"]) in response.text
