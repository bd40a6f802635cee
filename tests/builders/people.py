"""People: one builder per role (tailor, designer, admin) writing through the services, and a
signed-in variant of each that registers a passkey through the HTTP API on a client."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import h3
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import (
    create_invited_account,
    insert_account,
    new_webauthn_user_id,
    validate_registration,
)
from server.accounts.tables import Account, AccountStatus, Role
from server.auth.sessions import SESSION_COOKIE, start_session
from server.designers.tables import DesignerProfile
from server.media.services import store_photo
from server.phones import normalize_phone
from server.tailors import services as tailors
from server.tailors.services import H3_RESOLUTION
from server.tailors.tables import Certificate, TailorProfile, TailorSkill, Verification
from tests.builders.passkeys import register
from tests.builders.places import BANDUNG, KOTA_BANDUNG, north_of_bandung, today
from tests.helpers import post_form, post_multipart
from tests.images import jpeg_with_gps
from tests.webauthn_device import SoftAuthenticator

Client = AsyncTestClient[Any]
_phones = itertools.count(1)

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
# The work page's answers `onboard()` gives by default.
ONBOARDING_FORM: dict[str, Any] = {
    "at": None,
    "skills": ("kemeja", "seragam"),
    "equipment": ("mesin_jahit", "obras"),
    "radius": 15,
    "capacity": 200,
    "minimum_order": 10,
}
# A tailor an admin met at a training session: invited (an enrolment link, no passkey yet), the
# profile filled in on the day. With `certificate=app` the certificate is sent too.
MET_AT_TRAINING: dict[str, Any] = {
    "invited": True,
    "radius": 10,
    "capacity": 120,
    "minimum_order": 12,
}


async def account(
    role: str,
    name: str,
    phone: str | None = None,
    *,
    invited: bool = False,
    status: str = AccountStatus.ACTIVE,
    locale: str | None = None,
) -> int:
    """An account without a passkey (`phone` made up when not given); `invited`: with an
    enrolment link waiting, as an admin creates one."""
    phone = phone or f"+62813{next(_phones):08d}"
    if invited:
        account_id, _token = await create_invited_account(role, name, phone, None)
    else:
        registration = validate_registration(role, name, phone, admin=True)
        account_id = await insert_account(registration, new_webauthn_user_id())
    changes: dict[Any, Any] = {}
    if status != AccountStatus.ACTIVE:
        changes[Account.status] = status
    if locale is not None:
        changes[Account.locale] = locale
    if changes:
        await Account.update(changes).where(Account.id == account_id)
    return account_id


async def session_for(account_id: int) -> str:
    """The session token of a device signed in to the account, as after a passkey sign-in (the
    ceremony itself is tested in the passkey tests)."""
    return await start_session(account_id, "Chrome on Android", "passkey")


async def sign_in_as(client: Client, account_id: int) -> None:
    """`client` signed in to the account through a session row and its cookie."""
    client.cookies.set(SESSION_COOKIE, await session_for(account_id))


async def signed_in(
    client: Client,
    role: str,
    name: str,
    phone: str,
    *,
    device: SoftAuthenticator | None = None,
    user_agent: str | None = None,
) -> dict[str, Any]:
    """Registered through the real passkey API on `client` (with `device`, to sign in with it
    again later; as the browser `user_agent` names itself); an admin is promoted afterwards."""
    if user_agent is not None:
        client.headers["user-agent"] = user_agent
    signup_role = Role.TAILOR if role == Role.ADMIN else role
    await register(client, device or SoftAuthenticator(), role=signup_role, name=name, phone=phone)
    row: dict[str, Any] = (
        await Account.select().where(Account.phone == normalize_phone(phone)).first()
    )
    if role == Role.ADMIN:
        await Account.update({Account.role: Role.ADMIN}).where(Account.id == row["id"])
        row["role"] = Role.ADMIN
    return row


# Tailors ----------------------------------------------------------------------------------------


async def tailor(
    name: str | None = None,
    phone: str | None = None,
    *,
    account_id: int | None = None,
    invited: bool = False,
    status: str = AccountStatus.ACTIVE,
    km: float | None = None,
    city: str | None = KOTA_BANDUNG,
    skills: tuple[str, ...] = ("kemeja",),
    radius: int = 50,
    capacity: int = 500,
    minimum_order: int = 1,
    verification: str | None = Verification.VERIFIED,
    certificate: Litestar | None = None,
    approved_by: int | None = None,
    available: bool = True,
    rating: float | None = None,
) -> int:
    """A tailor who passes every dispatch rule by default: verified for a year and ready for
    orders, in Kota Bandung, sewing shirts.

    Where: `km` north of the pickup point (profile rows written directly), else in `city`
    through the onboarding services (`city=None`: no profile yet).
    Verification: `verification` is set directly ("verified", "pending", …; None: as the
    onboarding leaves it). Through the real certificate flow instead: `certificate=app` sends a
    certificate (its photo kept by the app's media) that waits for an admin, and `approved_by`
    an admin approves it. `status="suspended"`: a suspended account."""
    if account_id is None:
        account_id = await account(
            Role.TAILOR, name or f"Penjahit {km or 0:g} km", phone, invited=invited, status=status
        )
    if km is not None:
        await placed(account_id, km, skills, radius, capacity, minimum_order)
    elif city is not None:
        await tailors.save_location(account_id, city_code=city)
        await tailors.save_work(
            account_id,
            skills=list(skills),
            equipment=["mesin_jahit"],
            radius=str(radius),
            capacity=str(capacity),
            minimum_order=str(minimum_order),
        )
    if certificate is not None:
        await send_certificate(certificate, account_id)
        if approved_by is not None:
            sent = await certificate_of(account_id)
            await tailors.decide_certificate(sent["public_id"], approved_by, True, "")
    elif verification is not None:
        await TailorProfile.update(
            {
                TailorProfile.verification: verification,
                TailorProfile.certificate_expires_on: today() + timedelta(days=365),
                TailorProfile.available: available,
            }
        ).where(TailorProfile.account == account_id)
    if rating is not None:
        await TailorProfile.update({TailorProfile.rating_average: rating}).where(
            TailorProfile.account == account_id
        )
    return account_id


async def placed(
    account_id: int,
    km: float,
    skills: tuple[str, ...],
    radius: int,
    capacity: int,
    minimum_order: int,
) -> None:
    """The tailor's profile `km` north of the centre of Kota Bandung, written directly."""
    latitude, longitude = north_of_bandung(km)
    rows = await TailorProfile.insert(
        TailorProfile(
            account=account_id,
            province_code="32",
            city_code=KOTA_BANDUNG,
            latitude=latitude,
            longitude=longitude,
            h3_cell=h3.latlng_to_cell(latitude, longitude, H3_RESOLUTION),
            service_radius_km=radius,
            weekly_capacity=capacity,
            minimum_order=minimum_order,
        )
    ).returning(TailorProfile.id)
    if skills:
        await TailorSkill.insert(
            *[TailorSkill(profile=rows[0]["id"], category=skill) for skill in skills]
        )


async def send_certificate(app: Litestar, account_id: int) -> None:
    photo = await store_photo(app.state.media, account_id, "certificate", jpeg_with_gps(400, 300))
    form = tailors.parse_certificate(CERTIFICATE)
    await tailors.submit_certificate(account_id, form, photo["id"])


async def signed_in_tailor(
    client: Client,
    name: str = "Siti Rahayu",
    phone: str = "0812-3456-7890",
    *,
    onboarded: bool = False,
    at: tuple[str, str] | None = BANDUNG,
    skills: tuple[str, ...] = ("kemeja", "seragam"),
    equipment: tuple[str, ...] = ("mesin_jahit",),
    radius: int = 50,
    capacity: int = 1000,
    minimum_order: int = 1,
    verification: str = Verification.VERIFIED,
    available: bool = True,
    **columns: Any,
) -> dict[str, Any]:
    """A tailor who registered a passkey on `client`; `onboarded`: the onboarding pages filled
    in too (at the coordinates `at`, or in Kota Bandung when None; `**ONBOARDING_FORM` for the
    answers `onboard()` gives), then verified and ready for orders (other TailorProfile
    `columns` set alongside)."""
    row = await signed_in(client, Role.TAILOR, name, phone)
    if not onboarded:
        return row
    await onboard(
        client,
        at=at,
        skills=skills,
        equipment=equipment,
        radius=radius,
        capacity=capacity,
        minimum_order=minimum_order,
    )
    await TailorProfile.update(
        {
            TailorProfile.verification: verification,
            TailorProfile.certificate_expires_on: today() + timedelta(days=365),
            TailorProfile.available: available,
            **{getattr(TailorProfile, key): value for key, value in columns.items()},
        }
    ).where(TailorProfile.account == row["id"])
    return row


async def onboard(
    client: Client,
    *,
    at: tuple[str, str] | None = None,
    skills: tuple[str, ...] = ("kemeja", "seragam"),
    equipment: tuple[str, ...] = ("mesin_jahit", "obras"),
    radius: int = 15,
    capacity: int = 200,
    minimum_order: int = 10,
) -> None:
    """The location (Kota Bandung, or the coordinates `at`) and work pages, as a tailor fills
    them in."""
    location = {"latitude": at[0], "longitude": at[1]} if at else {"city": KOTA_BANDUNG}
    await post_form(client, "/onboarding/location", location)
    await post_form(
        client,
        "/onboarding/work",
        {
            "skills": list(skills),
            "equipment": list(equipment),
            "radius": str(radius),
            "capacity": str(capacity),
            "minimum_order": str(minimum_order),
        },
    )


async def submit_certificate(client: Client, **overrides: str) -> Any:
    """The certificate page's form, sent with a photo."""
    return await post_multipart(
        client,
        "/onboarding/certificate",
        {**CERTIFICATE, **overrides},
        {"photo": ("certificate.jpg", jpeg_with_gps(), "image/jpeg")},
    )


async def certificate_of(account_id: int) -> dict[str, Any]:
    """The tailor's latest certificate."""
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


async def profile_of(account_id: int) -> dict[str, Any]:
    row: dict[str, Any] = (
        await TailorProfile.select().where(TailorProfile.account == account_id).first()
    )
    return row


# Designers and admins ---------------------------------------------------------------------------


async def designer(
    name: str = "Rina Desainer",
    phone: str | None = None,
    *,
    business: str = "Batik Kirana",
    business_type: str = "brand",
    city: str | None = KOTA_BANDUNG,
) -> int:
    """A designer with a business profile, in Kota Bandung."""
    account_id = await account(Role.DESIGNER, name, phone)
    await designer_profile(account_id, business, business_type, city)
    return account_id


async def designer_profile(
    account_id: int,
    business: str = "Batik Kirana",
    business_type: str = "brand",
    city: str | None = KOTA_BANDUNG,
) -> None:
    await DesignerProfile.insert(
        DesignerProfile(
            account=account_id, business_name=business, business_type=business_type, city_code=city
        )
    )


async def signed_in_designer(
    client: Client,
    name: str = "Dewi Kirana",
    phone: str = "0813-5555-0000",
    *,
    profile: bool = True,
) -> dict[str, Any]:
    """A designer who registered a passkey on `client`, with a business profile (unless not)."""
    row = await signed_in(client, Role.DESIGNER, name, phone)
    if profile:
        await designer_profile(row["id"])
    return row


async def admin(name: str = "Budi Admin", phone: str = "0811-2000-0001") -> int:
    return await account(Role.ADMIN, name, phone)


async def signed_in_admin(client: Client) -> dict[str, Any]:
    return await signed_in(client, Role.ADMIN, "Budi Admin", "0811-2000-0001")


async def signed_up(role: str, name: str, phone: str) -> tuple[int, str]:
    """A new account and the session token of a device signed in to it."""
    account_id = await account(role, name, phone)
    return account_id, await session_for(account_id)
