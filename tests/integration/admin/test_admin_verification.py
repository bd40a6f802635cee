"""The verification queue: oldest first, look, approve or reject, and the next one loads."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import AuditEvent
from server.tailors.tables import Certificate, TailorProfile
from tests.builders.people import (
    MET_AT_TRAINING,
    certificate_of,
    signed_in,
    signed_in_admin,
    submitted_at,
    tailor,
)
from tests.helpers import indonesian, post_form

CERTIFICATE_LINKS = re.compile(r'href="/admin/verifications/([0-9a-f-]{36})"')
REASON_REQUIRED = "Tulis alasan yang akan dibaca penjahit (minimal 5 karakter)."
BADGE = '<p class="badge ok">'
WAITING = "Sertifikat Anda sedang menunggu verifikasi admin program."
ALREADY_DECIDED = indonesian("This certificate was already decided.", html=False)


async def three_waiting(app: Litestar) -> list[dict[str, Any]]:
    """Rina sent hers first, then Siti, then Ayu (created in another order on purpose)."""
    now = datetime.now(UTC)
    siti = await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    ayu = await tailor("Ayu Lestari", "0812-3456-7002", certificate=app, **MET_AT_TRAINING)
    rina = await tailor("Rina Wati", "0812-3456-7003", certificate=app, **MET_AT_TRAINING)
    for account_id, hours_ago in ((rina, 30), (siti, 20), (ayu, 10)):
        await submitted_at(account_id, now - timedelta(hours=hours_ago))
    return [await certificate_of(account_id) for account_id in (rina, siti, ayu)]


async def test_queue_lists_pending_certificates_oldest_first(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    certificates = await three_waiting(app)
    response = await client.get("/admin/verifications")
    assert response.status_code == 200
    assert "3 sertifikat menunggu, yang terlama lebih dulu." in response.text
    listed = list(dict.fromkeys(CERTIFICATE_LINKS.findall(response.text)))
    assert listed == [str(certificate["public_id"]) for certificate in certificates]
    assert response.text.index("Rina Wati") < response.text.index("Siti Rahayu")
    assert response.text.index("Siti Rahayu") < response.text.index("Ayu Lestari")


async def test_item_shows_photo_fields_and_autofocused_approve(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    account_id = await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(account_id)
    response = await client.get(f"/admin/verifications/{certificate['public_id']}")
    assert response.status_code == 200
    html = response.text
    photo = re.search(r'<img src="/media/([0-9a-f-]{36})/large.webp"', html)
    assert photo is not None
    for shown in (
        "Siti Rahayu",
        "0812-3456-7001",
        "KPJ.123.00456.2025",
        "SKKNI Industri Pakaian Jadi",
        "LSP Garmen Indonesia",
        "1 Mar 2025",
        "1 Mar 2028",
        "Kota Bandung",
    ):
        assert shown in html, shown
    approve = re.search(r'<button type="submit" class="primary block"([^>]*)>', html)
    assert approve is not None and "autofocus" in approve.group(1)
    assert '<label for="reject-reason">' in html and 'id="reject-reason"' in html
    image = await client.get(f"/media/{photo.group(1)}/large.webp")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/webp"


async def test_unknown_certificate_is_not_found(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    response = await client.get("/admin/verifications/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


async def test_approving_shows_badge_and_tailor_home_says_verified(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    async with AsyncTestClient(app=app) as tailor_client:
        siti = await signed_in(tailor_client, "tailor", "Siti Rahayu", "0812-3456-7001")
        await tailor(account_id=siti["id"], certificate=app, **MET_AT_TRAINING)
        certificate = await certificate_of(siti["id"])
        profile_url = f"/tailors/{siti['public_id']}"
        assert BADGE not in (await client.get(profile_url)).text
        assert WAITING in (await tailor_client.get("/home")).text

        response = await post_form(
            client,
            f"/admin/verifications/{certificate['public_id']}/approve",
            {},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/verifications?decided=approved"

        assert BADGE in (await client.get(profile_url)).text
        home = await tailor_client.get("/home")
        assert WAITING not in home.text
        assert 'id="availability"' in home.text and "Siap terima order" in home.text
    events = await AuditEvent.select().where(AuditEvent.subject == siti["id"])
    assert [(event["kind"], event["actor"]) for event in events] == [
        ("certificate_approved", admin["id"])
    ]


async def test_rejecting_shows_the_reason_on_the_tailor_certificate_page(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    async with AsyncTestClient(app=app) as tailor_client:
        siti = await signed_in(tailor_client, "tailor", "Siti Rahayu", "0812-3456-7001")
        await tailor(account_id=siti["id"], certificate=app, **MET_AT_TRAINING)
        certificate = await certificate_of(siti["id"])
        reason = "Foto buram, nomor sertifikat tidak terbaca."
        response = await post_form(
            client,
            f"/admin/verifications/{certificate['public_id']}/reject",
            {"reason": reason},
        )
        assert response.status_code == 200
        assert "Ditolak. Penjahit akan melihat alasan Anda." in response.text
        assert "Antrean kosong: semua sertifikat sudah diputuskan." in response.text
        page = await tailor_client.get("/onboarding/certificate")
        assert "Sertifikat Anda tidak diterima." in page.text
        assert reason in page.text
    profile = await TailorProfile.select().where(TailorProfile.account == siti["id"]).first()
    assert profile["verification"] == "rejected"


async def test_next_pending_item_loads_after_each_decision(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    rina, siti, ayu = await three_waiting(app)
    response = await post_form(
        client, f"/admin/verifications/{rina['public_id']}/approve", {}, follow_redirects=False
    )
    assert response.headers["location"] == (
        f"/admin/verifications/{siti['public_id']}?decided=approved"
    )
    page = await client.get(response.headers["location"])
    assert "Disetujui. Penjahit ini sekarang bisa menerima order." in page.text
    assert "Sertifikat Siti Rahayu" in page.text
    assert "2 sertifikat menunggu." in page.text

    response = await post_form(
        client,
        f"/admin/verifications/{siti['public_id']}/reject",
        {"reason": "Masa berlaku tidak sesuai."},
        follow_redirects=False,
    )
    assert response.headers["location"] == (
        f"/admin/verifications/{ayu['public_id']}?decided=rejected"
    )


async def test_reject_without_reason_is_refused_and_changes_nothing(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    account_id = await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(account_id)
    for reason in ("", "  ok "):
        response = await post_form(
            client,
            f"/admin/verifications/{certificate['public_id']}/reject",
            {"reason": reason},
        )
        assert response.status_code == 400
        assert REASON_REQUIRED in response.text
        assert 'aria-invalid="true"' in response.text
    assert (await certificate_of(account_id))["status"] == "pending"
    assert await AuditEvent.count() == 0


async def test_deciding_a_decided_certificate_says_so_with_409(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    account_id = await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(account_id)
    url = f"/admin/verifications/{certificate['public_id']}"
    assert (await post_form(client, f"{url}/approve", {})).status_code == 200
    again = await post_form(client, f"{url}/reject", {"reason": "Sudah terlambat."})
    assert again.status_code == 409
    assert ALREADY_DECIDED in again.text
    assert "Sudah disetujui" in again.text
    twice = await post_form(client, f"{url}/approve", {})
    assert twice.status_code == 409
    stored = await Certificate.select().where(Certificate.id == certificate["id"]).first()
    assert stored["status"] == "approved"
    assert await AuditEvent.count() == 1


async def test_empty_queue_says_so(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    response = await client.get("/admin/verifications")
    assert "Antrean kosong: semua sertifikat sudah diputuskan." in response.text
