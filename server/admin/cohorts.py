"""Training cohorts: who trained where, and how far each participant has come since."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from piccolo.query.functions.aggregate import Count

from server import regions
from server.accounts import services as accounts
from server.accounts.refusals import AccountError
from server.accounts.tables import Account, Role
from server.admin.refusals import AdminError
from server.admin.tables import CohortMember, TrainingCohort
from server.auth.tables import Passkey
from server.db import transaction
from server.phones import InvalidPhoneNumber, normalize_phone
from server.tailors.services import effective_verification
from server.tailors.tables import Certificate, CertificateStatus, TailorProfile, Verification
from server.text import typed_text

NAME_MAX = 120
PLACE_MAX = 160
BATCH_MAX = 200
LINE_SEPARATOR = re.compile(r"[,;\t](?=[^,;\t]*$)")  # the last comma, semicolon or tab


@dataclass(frozen=True)
class CohortForm:
    name: str
    place: str
    province_code: str
    starts_on: date
    ends_on: date
    trainer: str


@dataclass(frozen=True)
class Enrolled:
    name: str
    phone: str
    token: str


def squeeze(text: str) -> str:
    return " ".join(typed_text(text).split())


def parse_date(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise AdminError("bad_date", field) from None


def parse_cohort(fields: Mapping[str, str]) -> CohortForm:
    name = squeeze(fields.get("name", ""))
    if not 2 <= len(name) <= NAME_MAX:
        raise AdminError("invalid_name", "name")
    place = squeeze(fields.get("place", ""))
    if not 2 <= len(place) <= PLACE_MAX:
        raise AdminError("invalid_place", "place")
    province_code = fields.get("province", "")
    if regions.province(province_code) is None:
        raise AdminError("choose_province", "province")
    starts_on = parse_date(fields.get("starts_on", ""), "starts_on")
    ends_on = parse_date(fields.get("ends_on", ""), "ends_on")
    if ends_on < starts_on:
        raise AdminError("ends_before_start", "ends_on")
    trainer = squeeze(fields.get("trainer", ""))
    if len(trainer) > NAME_MAX:
        raise AdminError("invalid_trainer", "trainer")
    return CohortForm(name, place, province_code, starts_on, ends_on, trainer)


async def create_cohort(form: CohortForm) -> UUID:
    rows = await TrainingCohort.insert(
        TrainingCohort(
            name=form.name,
            place=form.place,
            province_code=form.province_code,
            starts_on=form.starts_on,
            ends_on=form.ends_on,
            trainer=form.trainer,
        )
    ).returning(TrainingCohort.public_id)
    public_id: UUID = rows[0]["public_id"]
    return public_id


async def list_cohorts() -> list[dict[str, Any]]:
    cohorts: list[dict[str, Any]] = await TrainingCohort.select().order_by(
        TrainingCohort.starts_on, ascending=False
    )
    counts = {
        row["cohort"]: int(row["members"])
        for row in await CohortMember.select(CohortMember.cohort, Count(alias="members")).group_by(
            CohortMember.cohort
        )
    }
    for cohort in cohorts:
        cohort["members"] = counts.get(cohort["id"], 0)
        province = regions.province(cohort["province_code"] or "")
        cohort["province_name"] = province.name if province else ""
    return cohorts


async def get_cohort(public_id: UUID) -> dict[str, Any] | None:
    cohort: dict[str, Any] | None = (
        await TrainingCohort.select().where(TrainingCohort.public_id == public_id).first()
    )
    if cohort is not None:
        province = regions.province(cohort["province_code"] or "")
        cohort["province_name"] = province.name if province else ""
    return cohort


def stage_of(has_passkey: bool, certificate_status: str | None, verification: str) -> str:
    """invited → registered → submitted (or rejected) → verified."""
    if verification == Verification.VERIFIED:
        return "verified"
    if certificate_status == CertificateStatus.REJECTED:
        return "rejected"
    if certificate_status is not None:
        return "submitted"
    return "registered" if has_passkey else "invited"


async def participants(cohort_id: int, on: date) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = await (
        CohortMember.select(
            CohortMember.account.as_alias("id"),
            CohortMember.account.public_id.as_alias("public_id"),
            CohortMember.account.name.as_alias("name"),
            CohortMember.account.phone.as_alias("phone"),
            CohortMember.account.status.as_alias("status"),
        )
        .where(CohortMember.cohort == cohort_id)
        .order_by(CohortMember.account.name)
    )
    ids = [member["id"] for member in members]
    if not ids:
        return []
    with_passkey = {
        row["account"]
        for row in await Passkey.select(Passkey.account).where(Passkey.account.is_in(ids))
    }
    latest_certificate: dict[int, str] = {}
    for row in await (
        Certificate.select(Certificate.account, Certificate.status)
        .where(Certificate.account.is_in(ids))
        .order_by(Certificate.submitted_at)
    ):
        latest_certificate[row["account"]] = row["status"]
    profiles = {
        row["account"]: row
        for row in await TailorProfile.select(
            TailorProfile.account,
            TailorProfile.verification,
            TailorProfile.certificate_expires_on,
        ).where(TailorProfile.account.is_in(ids))
    }
    for member in members:
        profile = profiles.get(member["id"])
        verification = effective_verification(profile, on) if profile else Verification.INCOMPLETE
        member["has_passkey"] = member["id"] in with_passkey
        member["certificate"] = latest_certificate.get(member["id"])
        member["verification"] = verification
        member["stage"] = stage_of(member["has_passkey"], member["certificate"], verification)
    return members


async def add_member_by_phone(cohort_id: int, raw_phone: str) -> None:
    try:
        phone = normalize_phone(raw_phone)
    except InvalidPhoneNumber:
        raise AdminError("invalid_phone", "phone") from None
    account = await Account.select(Account.id, Account.role).where(Account.phone == phone).first()
    if account is None:
        raise AdminError("no_account", "phone")
    if account["role"] != Role.TAILOR:
        raise AdminError("not_a_tailor", "phone")
    async with transaction():
        already = await CohortMember.exists().where(
            (CohortMember.cohort == cohort_id) & (CohortMember.account == account["id"])
        )
        if already:
            raise AdminError("already_member", "phone")
        await CohortMember.insert(CohortMember(cohort=cohort_id, account=account["id"]))


def parse_enrolment_lines(text: str) -> list[tuple[int, accounts.Registration]]:
    """Lines of "Name, 0812…" → (line number, registration); the first bad line is refused."""
    found: list[tuple[int, accounts.Registration]] = []
    first_line_of: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = LINE_SEPARATOR.split(line.strip())
        if len(parts) != 2:
            raise AdminError("bad_line", "lines", line=number)
        try:
            registration = accounts.validate_registration(Role.TAILOR, parts[0], parts[1])
        except AccountError as error:
            raise AdminError(error.code, "lines", line=number) from None
        if registration.phone in first_line_of:
            raise AdminError("duplicate_phone", "lines", line=number)
        first_line_of[registration.phone] = number
        found.append((number, registration))
        if len(found) > BATCH_MAX:
            raise AdminError("too_many_lines", "lines", count=BATCH_MAX)
    if not found:
        raise AdminError("empty_batch", "lines")
    return found


async def enrol_batch(cohort_id: int, text: str, admin_id: int) -> list[Enrolled]:
    """Every line becomes a tailor account with a one-time link, or none does."""
    lines = parse_enrolment_lines(text)
    enrolled: list[Enrolled] = []
    async with transaction():
        for number, registration in lines:
            try:
                account_id, token = await accounts.create_invited_account(
                    Role.TAILOR, registration.name, registration.phone, admin_id
                )
            except AccountError as error:
                raise AdminError(error.code, "lines", line=number) from None
            await CohortMember.insert(CohortMember(cohort=cohort_id, account=account_id))
            enrolled.append(Enrolled(registration.name, registration.phone, token))
    return enrolled
