"""Text with NUL characters (no keyboard types one; PostgreSQL refuses them in text columns)
is stored without them wherever people type: names, reasons, bios, profiles, certificates,
cohorts. Before, each of these answered 500 on PostgreSQL."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from server.accounts.tables import Account, AuditEvent, Role
from server.admin.cohorts import create_cohort, get_cohort, parse_cohort
from server.admin.moderation import set_suspended
from server.designers.services import save_profile
from server.designers.tables import DesignerProfile
from server.tailors import services as tailors
from server.tailors.tables import Certificate, TailorProfile
from tests.builders.people import CERTIFICATE, COHORT, MET_AT_TRAINING, signed_up, tailor
from tests.builders.places import KOTA_BANDUNG


async def test_registration_name_drops_nul(app: Litestar) -> None:
    account_id, _token = await signed_up(Role.TAILOR, "Siti\x00 Rahayu", "0812-1000-0001")
    row: dict[str, Any] = await Account.select(Account.name).where(Account.id == account_id).first()
    assert row["name"] == "Siti Rahayu"


async def test_tailor_bio_drops_nul(app: Litestar) -> None:
    account_id, _token = await signed_up(Role.TAILOR, "Siti Rahayu", "0812-1000-0001")
    await tailor(account_id=account_id)
    await tailors.save_bio(account_id, "Jahitan\x00 rapi sejak 2010")
    row = await TailorProfile.select(TailorProfile.bio).where(TailorProfile.account == account_id)
    assert row[0]["bio"] == "Jahitan rapi sejak 2010"


async def test_certificate_fields_drop_nul(app: Litestar) -> None:
    form = tailors.parse_certificate({**CERTIFICATE, "issuer": "LSP\x00 Garmen"})
    assert form.issuer == "LSP Garmen"


async def test_suspension_and_rejection_reasons_drop_nul(app: Litestar) -> None:
    admin_id, _token = await signed_up(Role.ADMIN, "Budi Admin", "0811-2000-0001")
    tailor_id = await tailor("Wati Penjahit", "0812-1000-0003", certificate=app, **MET_AT_TRAINING)
    certificate = await Certificate.select().where(Certificate.account == tailor_id).first()
    await tailors.decide_certificate(
        certificate["public_id"], admin_id, False, "Foto\x00 sertifikat buram"
    )
    rejected = await Certificate.select().where(Certificate.id == certificate["id"]).first()
    assert "\x00" not in str(rejected)
    await set_suspended(tailor_id, admin_id, True, "Laporan\x00 penipuan")
    events = await AuditEvent.select()
    assert events and all("\x00" not in str(event) for event in events)


async def test_business_profile_drops_nul(app: Litestar) -> None:
    account_id, _token = await signed_up(Role.DESIGNER, "Dewi Kirana", "0813-5555-0000")
    await DesignerProfile.insert(DesignerProfile(account=account_id))
    fields = {
        "business_name": "Batik\x00 Kirana",
        "business_type": "brand",
        "city": KOTA_BANDUNG,
        "description": "Batik tulis\x00 Bandung",
    }
    await save_profile(account_id, fields, None)
    row = await DesignerProfile.select().where(DesignerProfile.account == account_id).first()
    assert (row["business_name"], row["description"]) == ("Batik Kirana", "Batik tulis Bandung")


async def test_cohort_fields_drop_nul(app: Litestar) -> None:
    public_id = await create_cohort(parse_cohort({**COHORT, "trainer": "Ibu\x00 Ratna"}))
    cohort = await get_cohort(public_id)
    assert cohort is not None and cohort["trainer"] == "Ibu Ratna"
