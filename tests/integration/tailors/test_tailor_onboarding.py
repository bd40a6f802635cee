import io
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from server.media.tables import Photo
from server.tailors.tables import Certificate, TailorProfile, TailorSkill
from tests.builders.people import CERTIFICATE, onboard, signed_in_tailor, submit_certificate
from tests.builders.places import KOTA_BANDUNG
from tests.helpers import HX, post_form, post_multipart
from tests.images import giant_png, jpeg_with_gps, png


async def test_location_from_city_list(client: AsyncTestClient[Any]) -> None:
    account = await signed_in_tailor(client)
    response = await post_form(
        client, "/onboarding/location", {"city": KOTA_BANDUNG}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/onboarding/work"
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    assert profile["city_code"] == KOTA_BANDUNG
    assert profile["province_code"] == "32"
    assert profile["h3_cell"]
    assert profile["location_source"] == "city"


async def test_location_from_phone_is_coarsened(client: AsyncTestClient[Any]) -> None:
    account = await signed_in_tailor(client)
    await post_form(
        client, "/onboarding/location", {"latitude": "-6.917464", "longitude": "107.619123"}
    )
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    assert (profile["latitude"], profile["longitude"]) == (-6.917, 107.619)
    assert profile["city_code"] == KOTA_BANDUNG
    assert profile["location_source"] == "device"


async def test_province_choice_lists_its_cities_as_fragment(client: AsyncTestClient[Any]) -> None:
    await signed_in_tailor(client)
    response = await client.get("/onboarding/location?province=34", headers=HX)
    assert "<html" not in response.text
    assert "Kota Yogyakarta" in response.text
    assert "Kota Bandung" not in response.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"city": ""}, "Pilih provinsi dan kota Anda."),
        ({"city": "99.99"}, "Pilih provinsi dan kota Anda."),
        ({"latitude": "51.5", "longitude": "-0.12"}, "Lokasi itu di luar Indonesia."),
        ({"latitude": "abc", "longitude": "1"}, "Lokasi Anda tidak terbaca."),
    ],
)
async def test_bad_location_is_refused_and_nothing_saved(
    client: AsyncTestClient[Any], fields: dict[str, str], message: str
) -> None:
    account = await signed_in_tailor(client)
    response = await post_form(client, "/onboarding/location", fields)
    assert response.status_code == 400
    assert message in response.text
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    assert profile is None or profile["city_code"] is None


WORK = {
    "skills": ["kemeja", "batik"],
    "equipment": ["mesin_jahit"],
    "radius": "10",
    "capacity": "150",
    "minimum_order": "12",
}


async def test_skills_and_capacity_are_saved(client: AsyncTestClient[Any]) -> None:
    account = await signed_in_tailor(client)
    response = await post_form(client, "/onboarding/work", WORK, follow_redirects=False)
    assert response.headers["location"] == "/onboarding/about"
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    skills = await TailorSkill.select(TailorSkill.category).where(
        TailorSkill.profile == profile["id"]
    )
    assert sorted(row["category"] for row in skills) == ["batik", "kemeja"]
    assert (profile["service_radius_km"], profile["weekly_capacity"], profile["minimum_order"]) == (
        10,
        150,
        12,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"skills": []}, "Pilih minimal satu jenis pakaian"),
        ({"skills": ["rocket"]}, "Pilih dari daftar."),
        ({"equipment": ["laser"]}, "Pilih dari daftar."),
        ({"radius": "0"}, "Angka itu di luar batas"),
        ({"radius": "51"}, "Angka itu di luar batas"),
        ({"capacity": "banyak"}, "Tulis angka bulat."),
        ({"minimum_order": ""}, "Tulis angka bulat."),
    ],
)
async def test_bad_work_details_are_refused_and_nothing_saved(
    client: AsyncTestClient[Any], change: dict[str, Any], message: str
) -> None:
    await signed_in_tailor(client)
    response = await post_form(client, "/onboarding/work", {**WORK, **change})
    assert response.status_code == 400
    assert message in response.text
    assert await TailorSkill.count() == 0


async def test_long_bio_is_refused(client: AsyncTestClient[Any]) -> None:
    await signed_in_tailor(client)
    response = await post_form(client, "/onboarding/about", {"bio": "x" * 601})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Teks itu terlalu panjang." in response.text


async def test_portfolio_photo_is_reencoded_without_exif(
    client: AsyncTestClient[Any], app: Any
) -> None:
    await signed_in_tailor(client)
    response = await post_multipart(
        client,
        "/onboarding/portfolio",
        {},
        {"photo": ("kemeja.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 200
    photo = await Photo.select().first()
    assert photo["kind"] == "portfolio"
    assert f"/media/{photo['public_id']}/small.webp" in response.text
    assert 'loading="lazy"' in response.text and 'width="320"' in response.text
    for size in ("small", "large"):
        image = await client.get(f"/media/{photo['public_id']}/{size}.webp")
        assert image.headers["content-type"] == "image/webp"
        decoded = Image.open(io.BytesIO(image.content))
        assert dict(decoded.getexif()) == {}
        assert b"PhoneMaker" not in image.content
    stored = app.state.media.read(photo["public_id"], "large")
    assert b"PhoneMaker" not in stored and b"GPS" not in stored


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("bomb.png", giant_png(), 400, "terlalu besar ukurannya"),
        ("flat.png", png(6300, 6300), 400, "Kirim sebagai JPEG"),  # 131 KB, 40 MP decoded
        ("notes.txt", b"just some text", 400, "Berkas itu bukan foto"),
        ("broken.jpg", jpeg_with_gps()[:4000], 400, "Berkas foto itu rusak"),
        (
            "huge.jpg",
            b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024 + 10),
            413,
            "lebih besar dari 8 MB",
        ),
    ],
)
async def test_bad_uploads_are_refused_and_nothing_stored(
    client: AsyncTestClient[Any], name: str, content: bytes, status: int, message: str
) -> None:
    await signed_in_tailor(client)
    response = await post_multipart(
        client, "/onboarding/portfolio", {}, {"photo": (name, content, "image/jpeg")}
    )
    assert response.status_code == status
    assert message in response.text
    assert await Photo.count() == 0


async def test_portfolio_holds_at_most_six_photos(client: AsyncTestClient[Any]) -> None:
    await signed_in_tailor(client)
    small = jpeg_with_gps(400, 300)
    for _ in range(6):
        await post_multipart(
            client, "/onboarding/portfolio", {}, {"photo": ("p.jpg", small, "image/jpeg")}
        )
    response = await post_multipart(
        client, "/onboarding/portfolio", {}, {"photo": ("p.jpg", small, "image/jpeg")}
    )
    assert response.status_code == 400
    assert "sudah punya 6 foto" in response.text
    assert await Photo.count() == 6


async def test_certificate_submission_waits_for_verification(client: AsyncTestClient[Any]) -> None:
    account = await signed_in_tailor(client)
    await onboard(client)
    response = await submit_certificate(client)
    assert response.status_code == 303
    certificate = await Certificate.select().first()
    assert certificate["status"] == "pending"
    assert certificate["number"] == "KPJ.123.00456.2025"
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    assert profile["verification"] == "pending"
    home = await client.get("/home")
    assert "menunggu verifikasi admin program" in home.text
    again = await submit_certificate(client)
    assert again.status_code == 400
    assert "Sertifikat Anda sudah menunggu verifikasi." in again.text
    assert await Certificate.count() == 1
    assert await Photo.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"number": ""}, "Isi kolom ini"),
        ({"issued_on": "kemarin"}, "Pilih tanggal."),
        ({"issued_on": "2099-01-01", "expires_on": "2100-01-01"}, "tidak boleh di masa depan"),
        ({"expires_on": "2024-01-01"}, "harus berakhir setelah tanggal terbit"),
        ({"issued_on": "2019-01-01", "expires_on": "2022-01-01"}, "sudah kedaluwarsa"),
    ],
)
async def test_bad_certificate_is_refused_and_nothing_written(
    client: AsyncTestClient[Any], change: dict[str, str], message: str
) -> None:
    await signed_in_tailor(client)
    response = await submit_certificate(client, **change)
    assert response.status_code == 400
    assert message in response.text
    assert await Certificate.count() == 0
    assert await Photo.count() == 0


async def test_certificate_without_photo_is_refused(client: AsyncTestClient[Any]) -> None:
    await signed_in_tailor(client)

    response = await post_multipart(client, "/onboarding/certificate", CERTIFICATE, {})
    assert response.status_code == 400
    assert "Tambahkan foto sertifikat Anda." in response.text
    assert await Certificate.count() == 0
