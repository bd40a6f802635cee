"""Training cohorts: create, follow participants, add by number, enrol a class at once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, EnrolmentLink
from server.admin.tables import CohortMember, TrainingCohort
from server.tailors import services as tailors
from tests.builders.people import (
    COHORT,
    MET_AT_TRAINING,
    certificate_of,
    signed_in,
    signed_in_admin,
    tailor,
)
from tests.helpers import post_form

ENROLMENT_URL = re.compile(r'<a class="enrolment-url" href="http://localhost:8000/enrol/([\w-]+)"')


async def new_cohort(client: AsyncTestClient[Any]) -> str:
    response = await post_form(client, "/admin/cohorts", COHORT, follow_redirects=False)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def stage_of(html: str, name: str) -> str:
    match = re.search(rf">{re.escape(name)}</a>.*?<td>([^<]*)</td>\s*</tr>", html, re.S)
    assert match is not None, name
    return match.group(1)


async def test_cohort_is_created_and_listed(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    assert re.fullmatch(r"/admin/cohorts/[0-9a-f-]{36}", url)
    page = await client.get(url)
    assert COHORT["name"] in page.text
    assert "Balai Diklat Industri, Bandung, Jawa Barat" in page.text
    assert "Pelatih: Ibu Ratna" in page.text
    listing = await client.get("/admin/cohorts")
    assert COHORT["name"] in listing.text and "0 peserta" in listing.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "x"}, "Tulis nama 2 sampai 120 karakter."),
        ({"place": ""}, "Tulis tempatnya, 2 sampai 160 karakter."),
        ({"province": "99"}, "Pilih provinsinya."),
        ({"starts_on": "besok"}, "Pilih tanggal."),
        ({"ends_on": "2026-11-30"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ({"trainer": "x" * 121}, "Nama pelatih paling panjang 120 karakter."),
    ],
)
async def test_bad_cohort_is_refused_with_a_message_and_not_saved(
    client: AsyncTestClient[Any], change: dict[str, str], message: str
) -> None:
    await signed_in_admin(client)
    response = await post_form(client, "/admin/cohorts", {**COHORT, **change})
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert await TrainingCohort.count() == 0


async def test_existing_tailor_is_added_by_phone_number(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    response = await post_form(
        client, f"{url}/members", {"phone": "+62 812 3456 7001"}, follow_redirects=False
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Peserta ditambahkan." in page.text
    assert stage_of(page.text, "Siti Rahayu") == "Sertifikat dikirim"


@pytest.mark.parametrize(
    ("phone", "status", "message"),
    [
        ("12345", 400, "Itu bukan nomor ponsel Indonesia."),
        ("0812-9999-0000", 400, "Belum ada akun dengan nomor WhatsApp ini."),
        ("0813-1111-2222", 400, "Akun itu bukan akun penjahit."),
        ("0812-3456-7001", 409, "Penjahit ini sudah ada di angkatan ini."),
    ],
)
async def test_adding_by_phone_refusals(
    client: AsyncTestClient[Any], app: Litestar, phone: str, status: int, message: str
) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    await tailor("Siti Rahayu", "0812-3456-7001", verification=None, **MET_AT_TRAINING)
    await create_invited_account("designer", "Batik Kirana", "0813-1111-2222", None)
    await post_form(client, f"{url}/members", {"phone": "0812-3456-7001"})
    response = await post_form(client, f"{url}/members", {"phone": phone})
    assert response.status_code == status
    assert message in response.text
    assert await CohortMember.count() == 1


async def test_bulk_enrolment_gives_each_person_a_link_once(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    lines = (
        "Siti Rahayu, 0812-3456-7001\n\n"
        "  Ayu Lestari ;  +62 812 3456 7002 \n"
        "Rina Wati\t0812 3456 7003\n"
    )
    response = await post_form(client, f"{url}/enrolments", {"lines": lines})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "3 penjahit didaftarkan" in response.text
    tokens = ENROLMENT_URL.findall(response.text)
    assert len(tokens) == 3
    names = re.findall(r"<p><strong>([^<]+)</strong> · ([^<]+)</p>", response.text)
    assert names == [
        ("Siti Rahayu", "0812-3456-7001"),
        ("Ayu Lestari", "0812-3456-7002"),
        ("Rina Wati", "0812-3456-7003"),
    ]
    share = re.findall(r'href="(https://wa.me/[^"]+)"', response.text)
    assert len(share) == 3
    first = urlparse(share[0].replace("&amp;", "&"))
    assert first.path == "/6281234567001"
    text = parse_qs(first.query)["text"][0]
    assert text.startswith("Halo Siti Rahayu, ini tautan untuk bergabung dengan Clothing Line")
    assert text.endswith(f"http://localhost:8000/enrol/{tokens[0]}")
    assert await EnrolmentLink.count() == 3
    async with AsyncTestClient(app=app) as phone:
        enrol = await phone.get(f"/enrol/{tokens[1]}")
        assert enrol.status_code == 200 and "Ayu Lestari" in enrol.text
    page = await client.get(url)
    assert "3 peserta" in page.text
    assert stage_of(page.text, "Rina Wati") == "Diundang (belum punya passkey)"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Siti Rahayu, 0812-3456-7001\nAyu Lestari 0812-3456-7002", "Baris 2: Tulis nama, koma"),
        ("Siti Rahayu, 0812-3456-7001\n\nAyu, 021-555-1234", "Baris 3: Itu bukan nomor ponsel"),
        (
            "Siti Rahayu, 0812-3456-7001\nS, 0812-3456-7002",
            "Baris 2: Tulis nama 2 sampai 120 karakter.",
        ),
        (
            "Siti Rahayu, 0812-3456-7001\nSiti R., 0812 3456 7001",
            "Baris 2: Nomor WhatsApp ini sudah ada di baris sebelumnya.",
        ),
        (
            "Siti Rahayu, 0812-3456-7001\nDewi Sartika, 0812-9999-0001",
            "Baris 2: Nomor WhatsApp ini sudah punya akun: tambahkan lewat nomornya di atas. Kalau "
            "orang lain yang mendaftarkannya, buka akun itu di Kelola akun lalu lepas nomornya.",
        ),
        ("  \n ", "Tulis setidaknya satu baris"),
    ],
)
async def test_bulk_enrolment_with_a_bad_line_creates_nothing(
    client: AsyncTestClient[Any], lines: str, message: str
) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    await create_invited_account("tailor", "Dewi Sartika", "0812-9999-0001", None)
    accounts_before = await Account.count()
    response = await post_form(client, f"{url}/enrolments", {"lines": lines})
    assert response.status_code == 400
    assert message in response.text
    assert "<textarea" in response.text and "Siti Rahayu" in response.text
    assert await Account.count() == accounts_before
    assert await CohortMember.count() == 0
    assert await EnrolmentLink.count() == 1


async def test_bulk_enrolment_refuses_too_many_lines(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    url = await new_cohort(client)
    lines = "\n".join(f"Penjahit {n}, 0812-4000-{n:04d}" for n in range(201))
    response = await post_form(client, f"{url}/enrolments", {"lines": lines})
    assert response.status_code == 400
    assert "Paling banyak 200 orang sekaligus." in response.text
    assert await CohortMember.count() == 0


async def test_participant_progress_goes_from_invited_to_verified(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    url = await new_cohort(client)
    await post_form(client, f"{url}/enrolments", {"lines": "Budi Santoso, 0812-3456-7009"})
    await post_form(client, f"{url}/members", {"phone": "0812-3456-7001"})
    assert ">Siti Rahayu</a>" not in (await client.get(url)).text  # no such account yet

    async with AsyncTestClient(app=app) as phone:
        siti = await signed_in(phone, "tailor", "Siti Rahayu", "0812-3456-7001")
    await post_form(client, f"{url}/members", {"phone": "0812-3456-7001"})
    assert stage_of((await client.get(url)).text, "Siti Rahayu") == "Terdaftar"
    assert (
        stage_of((await client.get(url)).text, "Budi Santoso") == "Diundang (belum punya passkey)"
    )

    await tailor(account_id=siti["id"], certificate=app, **MET_AT_TRAINING)
    assert stage_of((await client.get(url)).text, "Siti Rahayu") == "Sertifikat dikirim"

    certificate = await certificate_of(siti["id"])
    await tailors.decide_certificate(certificate["public_id"], admin["id"], False, "Foto buram.")
    assert stage_of((await client.get(url)).text, "Siti Rahayu") == "Sertifikat ditolak"

    await tailor(account_id=siti["id"], city=None, certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(siti["id"])
    await tailors.decide_certificate(certificate["public_id"], admin["id"], True, "")
    assert stage_of((await client.get(url)).text, "Siti Rahayu") == "Terverifikasi"
