"""Tailor profiles, onboarding and SKKNI certificates. Framework-free."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import h3

from server import regions
from server.accounts.tables import AuditEvent
from server.auth.sessions import CurrentUser
from server.clock import now
from server.db import transaction
from server.garments import CATEGORIES, EQUIPMENT
from server.media.services import access_rule
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify, notify_admins
from server.tailors.refusals import ProfileError
from server.tailors.tables import (
    Certificate,
    CertificateStatus,
    TailorProfile,
    TailorSkill,
    Verification,
)
from server.text import typed_text
from server.web.i18n import gettext as _

H3_RESOLUTION = 6
COORDINATE_DECIMALS = 3  # about 100 m
RADIUS_RANGE = (1, 50)
CAPACITY_MAX = 100_000
BIO_MAX = 600
PORTFOLIO_MAX = 6
TEXT_MAX = 160
ONBOARDING_STEPS = ("location", "work", "about", "portfolio", "certificate")


@dataclass(frozen=True)
class CertificateForm:
    number: str
    scheme: str
    issuer: str
    issued_on: date
    expires_on: date


def today() -> date:
    return now().date()


async def profile_of(account_id: int) -> dict[str, Any]:
    """The tailor's profile row, created empty on first use."""
    row: dict[str, Any] | None = (
        await TailorProfile.select().where(TailorProfile.account == account_id).first()
    )
    if row is None:
        await create_profile(account_id)
        row = await TailorProfile.select().where(TailorProfile.account == account_id).first()
    assert row is not None
    return row


async def create_profile(account_id: int) -> None:
    """An empty profile for a tailor who has none yet."""
    # Two first requests at once: one inserts, the other finds its row (no 500).
    await TailorProfile.insert(TailorProfile(account=account_id)).on_conflict(action="DO NOTHING")


async def skills_of(profile_id: int) -> list[str]:
    rows = await TailorSkill.select(TailorSkill.category).where(TailorSkill.profile == profile_id)
    return sorted(row["category"] for row in rows)


def parse_int(raw: str, field: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        raise ProfileError("not_a_number", field) from None
    if not low <= value <= high:
        raise ProfileError("out_of_range", field)
    return value


def coarsen(latitude: float, longitude: float) -> tuple[float, float]:
    return round(latitude, COORDINATE_DECIMALS), round(longitude, COORDINATE_DECIMALS)


async def save_location(
    account_id: int,
    *,
    city_code: str = "",
    latitude: str = "",
    longitude: str = "",
) -> None:
    """A city from the list (its centre), or the phone's position rounded to about 100 m."""
    if latitude and longitude:
        try:
            lat, lon = coarsen(float(latitude), float(longitude))
        except ValueError:
            raise ProfileError("bad_location", "location") from None
        if not (-11.5 <= lat <= 6.5 and 94.5 <= lon <= 141.5):
            raise ProfileError("outside_indonesia", "location")
        city = regions.nearest_city(lat, lon)
        source = "device"
    else:
        found = regions.city(city_code)
        if found is None:
            raise ProfileError("choose_city", "city")
        city, lat, lon, source = found, found.latitude, found.longitude, "city"
    profile = await profile_of(account_id)
    await TailorProfile.update(
        {
            TailorProfile.province_code: city.province_code,
            TailorProfile.city_code: city.code,
            TailorProfile.latitude: lat,
            TailorProfile.longitude: lon,
            TailorProfile.h3_cell: h3.latlng_to_cell(lat, lon, H3_RESOLUTION),
            TailorProfile.location_source: source,
            TailorProfile.updated_at: now(),
        }
    ).where(TailorProfile.id == profile["id"])


async def save_work(
    account_id: int,
    *,
    skills: list[str],
    equipment: list[str],
    radius: str,
    capacity: str,
    minimum_order: str,
) -> None:
    chosen = sorted(set(skills))
    if not chosen:
        raise ProfileError("choose_skill", "skills")
    if any(skill not in CATEGORIES for skill in chosen):
        raise ProfileError("unknown_choice", "skills")
    tools = sorted(set(equipment))
    if any(tool not in EQUIPMENT for tool in tools):
        raise ProfileError("unknown_choice", "equipment")
    radius_km = parse_int(radius, "radius", *RADIUS_RANGE)
    weekly = parse_int(capacity, "capacity", 1, CAPACITY_MAX)
    minimum = parse_int(minimum_order, "minimum_order", 1, CAPACITY_MAX)
    profile = await profile_of(account_id)
    async with transaction():
        await TailorSkill.delete().where(TailorSkill.profile == profile["id"])
        await TailorSkill.insert(
            *[TailorSkill(profile=profile["id"], category=skill) for skill in chosen]
        )
        await TailorProfile.update(
            {
                TailorProfile.equipment: json.dumps(tools),
                TailorProfile.service_radius_km: radius_km,
                TailorProfile.weekly_capacity: weekly,
                TailorProfile.minimum_order: minimum,
                TailorProfile.updated_at: now(),
            }
        ).where(TailorProfile.id == profile["id"])


async def save_bio(account_id: int, bio: str) -> None:
    bio = typed_text(bio)
    if len(bio) > BIO_MAX:
        raise ProfileError("too_long", "bio")
    profile = await profile_of(account_id)
    await TailorProfile.update({TailorProfile.bio: bio, TailorProfile.updated_at: now()}).where(
        TailorProfile.id == profile["id"]
    )


async def portfolio(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Photo.select()
        .where((Photo.owner == account_id) & (Photo.kind == "portfolio"))
        .order_by(Photo.created_at)
    )
    return rows


async def portfolio_has_room(account_id: int) -> bool:
    count = await Photo.count().where((Photo.owner == account_id) & (Photo.kind == "portfolio"))
    return int(count) < PORTFOLIO_MAX


async def set_available(account_id: int, available: bool) -> None:
    """The "ready for orders" switch: only a verified tailor can switch it on."""
    profile = await profile_of(account_id)
    if available and effective_verification(profile) != Verification.VERIFIED:
        raise ProfileError("not_verified")
    await TailorProfile.update({TailorProfile.available: available}).where(
        TailorProfile.id == profile["id"]
    )


def effective_verification(profile: dict[str, Any], on: date | None = None) -> str:
    """Verified until the certificate's expiry date; expired from the day after."""
    status = str(profile["verification"])
    expires = profile.get("certificate_expires_on")
    if status == Verification.VERIFIED and expires is not None and expires < (on or today()):
        return Verification.EXPIRED
    return status


# Certificates ---------------------------------------------------------------------------------


def parse_certificate(fields: dict[str, str]) -> CertificateForm:
    values = {
        key: " ".join(typed_text(fields.get(key, "")).split())
        for key in ("number", "scheme", "issuer")
    }
    for key, value in values.items():
        if not 2 <= len(value) <= TEXT_MAX:
            raise ProfileError("required", key)
    try:
        issued_on = date.fromisoformat(fields.get("issued_on", ""))
    except ValueError:
        raise ProfileError("bad_date", "issued_on") from None
    try:
        expires_on = date.fromisoformat(fields.get("expires_on", ""))
    except ValueError:
        raise ProfileError("bad_date", "expires_on") from None
    if issued_on > today():
        raise ProfileError("issued_in_future", "issued_on")
    if expires_on <= issued_on:
        raise ProfileError("expires_before_issue", "expires_on")
    if expires_on < today():
        raise ProfileError("already_expired", "expires_on")
    return CertificateForm(issued_on=issued_on, expires_on=expires_on, **values)


async def latest_certificate(account_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await (
        Certificate.select()
        .where(Certificate.account == account_id)
        .order_by(Certificate.submitted_at, ascending=False)
        .first()
    )
    return row


async def check_can_submit(account_id: int) -> None:
    """One certificate at a time waits for an admin."""
    pending = await Certificate.exists().where(
        (Certificate.account == account_id) & (Certificate.status == CertificateStatus.PENDING)
    )
    if pending:
        raise ProfileError("already_pending")


async def submit_certificate(account_id: int, form: CertificateForm, photo_id: int) -> None:
    """A new certificate waits for an admin; until then the tailor cannot take work."""
    profile = await profile_of(account_id)
    async with transaction():
        await check_can_submit(account_id)
        rows = await Certificate.insert(
            Certificate(
                account=account_id,
                number=form.number,
                scheme=form.scheme,
                issuer=form.issuer,
                issued_on=form.issued_on,
                expires_on=form.expires_on,
                photo=photo_id,
            )
        ).returning(Certificate.public_id)
        await notify_admins(AlertKind.ACCOUNT, certificate_waiting_alert(rows[0]["public_id"]))
        if effective_verification(profile) != Verification.VERIFIED:
            await TailorProfile.update(
                {TailorProfile.verification: Verification.PENDING, TailorProfile.available: False}
            ).where(TailorProfile.id == profile["id"])


async def decide_certificate(
    certificate_public_id: Any, admin_id: int, approve: bool, reason: str
) -> dict[str, Any]:
    """Approve, or reject with a reason the tailor will read. Only a pending one: once."""
    reason = typed_text(reason)
    if not approve and len(reason) < 5:
        raise ProfileError("reason_required", "reason")
    async with transaction():
        rows = await (
            Certificate.update(
                {
                    Certificate.status: (
                        CertificateStatus.APPROVED if approve else CertificateStatus.REJECTED
                    ),
                    Certificate.decided_at: now(),
                    Certificate.decided_by: admin_id,
                    Certificate.decision_reason: reason,
                }
            )
            .where(
                (Certificate.public_id == certificate_public_id)
                & (Certificate.status == CertificateStatus.PENDING)
            )
            .returning(Certificate.account, Certificate.expires_on)
        )
        if not rows:
            raise ProfileError("already_decided")
        account_id, expires_on = rows[0]["account"], rows[0]["expires_on"]
        changes: dict[Any, Any]
        if approve:
            changes = {
                TailorProfile.verification: Verification.VERIFIED,
                TailorProfile.certificate_expires_on: expires_on,
            }
        else:
            changes = {TailorProfile.verification: Verification.REJECTED}
            changes[TailorProfile.available] = False
        await TailorProfile.update(changes).where(TailorProfile.account == account_id)
        await AuditEvent.insert(
            AuditEvent(
                subject=account_id,
                actor=admin_id,
                kind="certificate_approved" if approve else "certificate_rejected",
                reason=reason,
            )
        )
        await notify(account_id, AlertKind.ACCOUNT, certificate_decision_alert(approve, reason))
    return {"account": account_id, "approved": approve}


def certificate_waiting_alert(certificate_public_id: Any) -> Callable[[], Alert]:
    return lambda: Alert(
        title=_("A certificate is waiting for verification"),
        body=_("Open the verification queue to approve or reject it."),
        url=f"/admin/verifications/{certificate_public_id}",
        tag="verification-queue",
    )


def certificate_decision_alert(approved: bool, reason: str) -> Callable[[], Alert]:
    def alert() -> Alert:
        if approved:
            return Alert(
                title=_("Your SKKNI certificate is verified"),
                body=_('Switch on "Ready for orders" to get nearby orders.'),
                url="/home",
                tag="certificate",
            )
        return Alert(
            title=_("Your certificate was not accepted"),
            body=_("Reason: %(reason)s", reason=reason),
            url="/onboarding/certificate",
            tag="certificate",
        )

    return alert


async def expire_certificates(on: date | None = None) -> list[int]:
    """Tailors whose certificate lapsed go back to unverified and off dispatch."""
    rows = await (
        TailorProfile.update(
            {TailorProfile.verification: Verification.EXPIRED, TailorProfile.available: False}
        )
        .where(
            (TailorProfile.verification == Verification.VERIFIED)
            & (TailorProfile.certificate_expires_on < (on or today()))
        )
        .returning(TailorProfile.account)
    )
    return [int(row["account"]) for row in rows]


def _home_sql() -> str:
    """The home screen's one statement: the profile, whether it has skills and portfolio
    photos, and the latest certificate's columns (NULL when there is none), each prefixed
    `certificate__`. Built once from the tables' own names."""
    profile = ", ".join(f'p."{c._meta.db_column_name}"' for c in TailorProfile._meta.columns)
    certificate = ", ".join(
        f'c."{name}" AS "certificate__{name}"'
        for name in (c._meta.db_column_name for c in Certificate._meta.columns)
    )
    profiles = TailorProfile._meta.tablename
    skills = TailorSkill._meta.tablename
    photos = Photo._meta.tablename
    certificates = Certificate._meta.tablename
    return f"""
SELECT {profile}, {certificate},
       EXISTS (SELECT 1 FROM "{skills}" s WHERE s.profile = p.id) AS has_skills,
       EXISTS (SELECT 1 FROM "{photos}" f WHERE f.owner = p.account AND f.kind = 'portfolio')
           AS has_portfolio
FROM "{profiles}" p
LEFT JOIN "{certificates}" c ON c.id = (
    SELECT l.id FROM "{certificates}" l WHERE l.account = p.account
    ORDER BY l.submitted_at DESC LIMIT 1)
WHERE p.account = {{}}
"""  # noqa: S608 (table and column names only)


HOME_SQL = _home_sql()
CERTIFICATE_PREFIX = "certificate__"


async def home_summary(account_id: int) -> dict[str, Any]:
    """What the tailor's home screen needs: the switch, or what is missing before it. The
    home is read on every visit, so this is one hand-written statement."""
    rows = await TailorProfile.raw(HOME_SQL, account_id)
    if not rows:
        await create_profile(account_id)
        rows = await TailorProfile.raw(HOME_SQL, account_id)
    row = rows[0]
    profile = {
        key: value
        for key, value in row.items()
        if not key.startswith(CERTIFICATE_PREFIX) and key not in ("has_skills", "has_portfolio")
    }
    certificate = {
        key.removeprefix(CERTIFICATE_PREFIX): value
        for key, value in row.items()
        if key.startswith(CERTIFICATE_PREFIX)
    }
    done = {
        "location": profile["city_code"] is not None,
        "work": bool(row["has_skills"]) and profile["weekly_capacity"] > 0,
        "about": bool(profile["bio"]),
        "portfolio": bool(row["has_portfolio"]),
        "certificate": profile["verification"] != Verification.INCOMPLETE,
    }
    return {
        "profile": profile,
        "verification": effective_verification(profile),
        "certificate": certificate if certificate["id"] is not None else None,
        "steps_done": done,
        "next_step": next((step for step in ONBOARDING_STEPS if not done[step]), None),
    }


@access_rule("portfolio")
async def portfolio_photos_are_public(viewer: CurrentUser | None, photo_id: int) -> bool:
    return True
