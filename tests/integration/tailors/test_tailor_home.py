from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from server.tailors import services as tailors
from server.tailors.tables import Certificate, TailorProfile
from tests.builders.people import certificate_of, signed_in_tailor, submit_certificate

EXPIRED = "Sertifikat Anda sudah kedaluwarsa."


async def test_first_home_visit_creates_the_profile_and_asks_for_the_location(
    client: AsyncTestClient[Any],
) -> None:
    account = await signed_in_tailor(client)
    assert await TailorProfile.count().where(TailorProfile.account == account["id"]) == 0

    home = await client.get("/home")

    assert home.status_code == 200
    assert 'href="/onboarding/location">Lanjut:' in home.text
    assert await TailorProfile.count().where(TailorProfile.account == account["id"]) == 1


async def test_home_reads_the_same_profile_as_the_profile_pages(
    client: AsyncTestClient[Any],
) -> None:
    account = await signed_in_tailor(client, onboarded=True, bio="Jahit rapi sejak 2010.")

    summary = await tailors.home_summary(account["id"])

    assert summary["profile"] == await tailors.profile_of(account["id"])
    assert summary["steps_done"] == {
        "location": True,
        "work": True,
        "about": True,
        "portfolio": False,
        "certificate": True,
    }
    assert summary["next_step"] == "portfolio"
    assert summary["certificate"] is None


async def test_certificate_past_its_expiry_shows_as_expired(
    client: AsyncTestClient[Any],
) -> None:
    account = await signed_in_tailor(client, onboarded=True)
    await TailorProfile.update(
        {TailorProfile.certificate_expires_on: tailors.today() - timedelta(days=1)}
    ).where(TailorProfile.account == account["id"])

    assert (await tailors.home_summary(account["id"]))["verification"] == "expired"
    assert EXPIRED in (await client.get("/home")).text


async def test_home_shows_the_latest_certificate_and_its_reason(
    client: AsyncTestClient[Any],
) -> None:
    account = await signed_in_tailor(client, verification="incomplete")
    await submit_certificate(client)
    first = await certificate_of(account["id"])
    await Certificate.update(
        {
            Certificate.status: "rejected",
            Certificate.decision_reason: "Foto buram",
            Certificate.submitted_at: first["submitted_at"] - timedelta(days=2),
        }
    ).where(Certificate.id == first["id"])
    await submit_certificate(client, number="KPJ.123.00789.2025")
    await Certificate.update(
        {Certificate.status: "rejected", Certificate.decision_reason: "Nomor tidak cocok"}
    ).where(Certificate.id != first["id"])
    await TailorProfile.update({TailorProfile.verification: "rejected"}).where(
        TailorProfile.account == account["id"]
    )

    summary = await tailors.home_summary(account["id"])

    assert summary["certificate"] == await certificate_of(account["id"])
    assert summary["certificate"]["number"] == "KPJ.123.00789.2025"
    home = (await client.get("/home")).text
    assert "Alasan: Nomor tidak cocok" in home
    assert "Foto buram" not in home
