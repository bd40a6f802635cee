"""The tailor directory: filters, paging, CSV export, suspension and reinstatement."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, AuditEvent
from server.auth.tables import Session
from server.tailors.tables import TailorProfile
from tests.builders.people import MET_AT_TRAINING, signed_in, signed_in_admin, tailor
from tests.builders.places import KOTA_SURABAYA, KOTA_YOGYAKARTA
from tests.helpers import HX, indonesian, post_form

ROW_NAMES = re.compile(r'<li class="row" id="tailor-[0-9a-f-]{36}">\s*<p><strong>([^<]+)</strong>')
REASON_REQUIRED = indonesian("Write the reason (at least 5 characters).", html=False)


def listed(html: str) -> list[str]:
    return ROW_NAMES.findall(html)


async def some_tailors(app: Litestar, admin_id: int) -> None:
    """Bandung: Ayu (verified, kemeja) and Dewi (pending, kebaya); Yogya: Rina (verified,
    batik); Surabaya: Sari (pending, kemeja); Tari: invited, nothing filled in yet."""
    await tailor(
        "Ayu Lestari",
        "0812-3456-7001",
        skills=("kemeja",),
        certificate=app,
        approved_by=admin_id,
        **MET_AT_TRAINING,
    )
    await tailor(
        "Dewi Sartika", "0812-3456-7002", skills=("kebaya",), certificate=app, **MET_AT_TRAINING
    )
    await tailor(
        "Rina Wati",
        "0812-3456-7003",
        city=KOTA_YOGYAKARTA,
        skills=("batik",),
        certificate=app,
        approved_by=admin_id,
        **MET_AT_TRAINING,
    )
    await tailor(
        "Sari Utami",
        "0812-3456-7004",
        city=KOTA_SURABAYA,
        skills=("kemeja",),
        certificate=app,
        **MET_AT_TRAINING,
    )
    await create_invited_account("tailor", "Tari Ningsih", "0812-3456-7005", None)
    await create_invited_account("designer", "Batik Kirana", "0812-3456-7006", None)


async def test_directory_lists_every_tailor_and_filters(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    await some_tailors(app, admin["id"])
    cases = {
        "": ["Ayu Lestari", "Dewi Sartika", "Rina Wati", "Sari Utami", "Tari Ningsih"],
        "?province=32": ["Ayu Lestari", "Dewi Sartika"],
        "?city=34.71": ["Rina Wati"],
        "?province=32&city=34.71": ["Ayu Lestari", "Dewi Sartika"],
        "?skill=kemeja": ["Ayu Lestari", "Sari Utami"],
        "?status=verified": ["Ayu Lestari", "Rina Wati"],
        "?status=pending&skill=kemeja": ["Sari Utami"],
        "?status=incomplete": ["Tari Ningsih"],
        "?province=35&status=verified": [],
    }
    for query, names in cases.items():
        response = await client.get("/admin/tailors" + query)
        assert response.status_code == 200
        assert listed(response.text) == names, query
    page = await client.get("/admin/tailors?province=32")
    assert "2 penjahit ditemukan." in page.text
    assert "Batik Kirana" not in page.text


async def test_rows_show_city_skills_status_profile_link_and_actions(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    ayu = await tailor(
        "Ayu Lestari", "0812-3456-7001", certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
    )
    public_id = (await Account.select(Account.public_id).where(Account.id == ayu).first())[
        "public_id"
    ]
    html = (await client.get("/admin/tailors")).text
    for shown in (
        "Kota Bandung",
        "Kemeja",
        "Terverifikasi",
        f'href="/tailors/{public_id}"',
        f'action="/admin/tailors/{public_id}/suspend"',
        f'action="/admin/accounts/{public_id}/enrolment-links"',
    ):
        assert shown in html, shown


async def test_filter_change_by_htmx_swaps_only_the_results(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    await some_tailors(app, admin["id"])
    response = await client.get("/admin/tailors?province=34", headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="tailor-results"')
    assert listed(response.text) == ["Rina Wati"]
    assert 'id="filter-city" name="city" hx-swap-oob="true"' in response.text
    assert "Kota Yogyakarta" in response.text and "Kota Bandung" not in response.text
    assert "HX-Request" in response.headers["vary"]


async def test_directory_pages_fifty_at_a_time(client: AsyncTestClient[Any], app: Litestar) -> None:
    await signed_in_admin(client)
    for number in range(51):
        await create_invited_account(
            "tailor", f"Penjahit {number:02d}", f"0812-4000-{number:04d}", None
        )
    first = await client.get("/admin/tailors")
    assert len(listed(first.text)) == 50
    assert "51 penjahit ditemukan." in first.text
    assert "Halaman 1 dari 2" in first.text
    assert 'href="/admin/tailors?page=2" rel="next"' in first.text
    second = await client.get("/admin/tailors?page=2")
    assert listed(second.text) == ["Penjahit 50"]
    assert listed((await client.get("/admin/tailors?page=abc")).text) == listed(first.text)


async def test_csv_export_is_excel_ready_and_follows_filters(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    await some_tailors(app, admin["id"])
    response = await client.get("/admin/tailors.csv?province=32")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Nama",
        "Nomor WhatsApp",
        "Provinsi",
        "Kota",
        "Keahlian",
        "Status",
        "Kapasitas per minggu",
        "Minimal order",
    ]
    assert rows[1] == [
        "Ayu Lestari",
        "0812-3456-7001",
        "Jawa Barat",
        "Kota Bandung",
        "Kemeja",
        "Terverifikasi",
        "120",
        "12",
    ]
    assert [row[0] for row in rows[1:]] == ["Ayu Lestari", "Dewi Sartika"]


async def test_csv_export_neutralises_formulas(client: AsyncTestClient[Any], app: Litestar) -> None:
    await signed_in_admin(client)
    names = ['=HYPERLINK("http://x")', "+Tambah", "-Kurang", "@Sum", "Biasa Saja"]
    for number, name in enumerate(names):
        await create_invited_account("tailor", name, f"0812-5000-{number:04d}", None)
    response = await client.get("/admin/tailors.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = sorted(row[0] for row in rows[1:])
    assert exported == sorted(
        ['\'=HYPERLINK("http://x")', "'+Tambah", "'-Kurang", "'@Sum", "Biasa Saja"]
    )


async def test_suspending_needs_a_reason_and_writes_nothing_without_one(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    ayu = await tailor(
        "Ayu Lestari", "0812-3456-7001", certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
    )
    public_id = (await Account.select(Account.public_id).where(Account.id == ayu).first())[
        "public_id"
    ]
    for reason in ("", "abc"):
        response = await post_form(
            client, f"/admin/tailors/{public_id}/suspend", {"reason": reason}
        )
        assert response.status_code == 400
        assert REASON_REQUIRED in response.text
        assert "<html" in response.text
    account = await Account.select(Account.status).where(Account.id == ayu).first()
    assert account["status"] == "active"
    assert await AuditEvent.count().where(AuditEvent.kind == "suspended") == 0


async def test_suspending_signs_out_records_and_reinstating_restores(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    async with AsyncTestClient(app=app) as tailor_client:
        siti = await signed_in(tailor_client, "tailor", "Siti Rahayu", "0812-3456-7001")
        await tailor(
            account_id=siti["id"], certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
        )
        await TailorProfile.update({TailorProfile.available: True}).where(
            TailorProfile.account == siti["id"]
        )
        assert (await tailor_client.get("/home")).status_code == 200
        url = f"/admin/tailors/{siti['public_id']}"
        response = await post_form(
            client,
            f"{url}/suspend",
            {"reason": "Laporan penipuan dari pembeli.", "next": "/admin/tailors?province=32"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/tailors?province=32"
        assert await Session.count().where(Session.account == siti["id"]) == 0
        home = await tailor_client.get("/home", follow_redirects=False)
        assert home.status_code == 303 and home.headers["location"].startswith("/login")
        profile = await TailorProfile.select().where(TailorProfile.account == siti["id"]).first()
        assert profile["available"] is False

        again = await post_form(client, f"{url}/suspend", {"reason": "Sekali lagi ya."})
        assert again.status_code == 409
        assert "Akun ini sudah dinonaktifkan." in again.text

        response = await post_form(
            client,
            f"{url}/reinstate",
            {"reason": "Sudah diklarifikasi.", "next": "//evil"},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/admin/tailors"
    account = await Account.select(Account.status).where(Account.id == siti["id"]).first()
    assert account["status"] == "active"
    events = (
        await AuditEvent.select(AuditEvent.kind, AuditEvent.reason, AuditEvent.actor)
        .where(
            (AuditEvent.subject == siti["id"]) & AuditEvent.kind.is_in(["suspended", "reinstated"])
        )
        .order_by(AuditEvent.id)
    )
    assert events == [
        {"kind": "suspended", "reason": "Laporan penipuan dari pembeli.", "actor": admin["id"]},
        {"kind": "reinstated", "reason": "Sudah diklarifikasi.", "actor": admin["id"]},
    ]


async def test_suspending_by_htmx_swaps_the_row(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    ayu = await tailor(
        "Ayu Lestari", "0812-3456-7001", certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
    )
    public_id = (await Account.select(Account.public_id).where(Account.id == ayu).first())[
        "public_id"
    ]
    response = await post_form(
        client,
        f"/admin/tailors/{public_id}/suspend",
        {"reason": "Tidak bisa dihubungi."},
        headers=HX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="row" id="tailor-{public_id}">')
    assert "dinonaktifkan" in response.text
    assert f'action="/admin/tailors/{public_id}/reinstate"' in response.text
    refused = await post_form(
        client, f"/admin/tailors/{public_id}/reinstate", {"reason": ""}, headers=HX
    )
    assert refused.status_code == 400
    assert "<html" not in refused.text and REASON_REQUIRED in refused.text


async def test_only_tailors_can_be_suspended_here(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    designer_id, _token = await create_invited_account(
        "designer", "Batik Kirana", "0812-3456-7006", None
    )
    designer = await Account.select(Account.public_id).where(Account.id == designer_id).first()
    response = await post_form(
        client, f"/admin/tailors/{designer['public_id']}/suspend", {"reason": "Tidak sopan."}
    )
    assert response.status_code == 404
