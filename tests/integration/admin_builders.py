"""Builders for the admin console tests: a signed-in admin, tailors at any stage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, Role
from server.media.services import store_photo
from server.tailors import services as tailors
from server.tailors.tables import Certificate, TailorProfile
from tests.images import jpeg_with_gps
from tests.integration.passkey_flows import register
from tests.webauthn_device import SoftAuthenticator

KOTA_BANDUNG = "32.73"
KOTA_YOGYAKARTA = "34.71"
KOTA_SURABAYA = "35.78"
CERTIFICATE = {
    "number": "KPJ.123.00456.2025",
    "scheme": "SKKNI Industri Pakaian Jadi",
    "issuer": "LSP Garmen Indonesia",
    "issued_on": "2025-03-01",
    "expires_on": "2028-03-01",
}
COHORT = {
    "name": "Bimbingan dan Sertifikasi Bandung I",
    "place": "Balai Diklat Industri, Bandung",
    "province": "32",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-05",
    "trainer": "Ibu Ratna",
}


async def signed_in(
    client: AsyncTestClient[Any], role: str, name: str, phone: str
) -> dict[str, Any]:
    """Registered through the real passkey API; an admin is promoted afterwards."""
    signup_role = Role.TAILOR if role == Role.ADMIN else role
    await register(client, SoftAuthenticator(), role=signup_role, name=name, phone=phone)
    account: dict[str, Any] = await Account.select().where(Account.name == name).first()
    if role == Role.ADMIN:
        await Account.update({Account.role: Role.ADMIN}).where(Account.id == account["id"])
    return account


async def signed_in_admin(client: AsyncTestClient[Any]) -> dict[str, Any]:
    return await signed_in(client, Role.ADMIN, "Budi Admin", "0811-2000-0001")


async def tailor(
    app: Litestar,
    name: str,
    phone: str,
    *,
    city: str | None = KOTA_BANDUNG,
    skills: tuple[str, ...] = ("kemeja",),
    certificate: bool = True,
    account_id: int | None = None,
) -> int:
    """A tailor account with a profile and (unless told not to) a certificate waiting."""
    if account_id is None:
        account_id, _token = await create_invited_account(Role.TAILOR, name, phone, None)
    if city is not None:
        await tailors.save_location(account_id, city_code=city)
        await tailors.save_work(
            account_id,
            skills=list(skills),
            equipment=["mesin_jahit"],
            radius="10",
            capacity="120",
            minimum_order="12",
        )
    if certificate:
        photo = await store_photo(
            app.state.media, account_id, "certificate", jpeg_with_gps(400, 300)
        )
        form = tailors.parse_certificate(CERTIFICATE)
        await tailors.submit_certificate(account_id, form, photo["id"])
    return account_id


async def certificate_of(account_id: int) -> dict[str, Any]:
    row: dict[str, Any] = (
        await Certificate.select()
        .where(Certificate.account == account_id)
        .order_by(Certificate.id, ascending=False)
        .first()
    )
    return row


async def submitted_at(account_id: int, moment: datetime) -> None:
    await Certificate.update({Certificate.submitted_at: moment}).where(
        Certificate.account == account_id
    )


async def verified_tailor(app: Litestar, admin_id: int, name: str, phone: str, **kw: Any) -> int:
    account_id = await tailor(app, name, phone, **kw)
    certificate = await certificate_of(account_id)
    await tailors.decide_certificate(certificate["public_id"], admin_id, True, "")
    return account_id


async def profile_of(account_id: int) -> dict[str, Any]:
    row: dict[str, Any] = (
        await TailorProfile.select().where(TailorProfile.account == account_id).first()
    )
    return row
