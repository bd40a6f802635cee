"""The tailor directory: filter, page through and export every tailor account."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from piccolo.columns.combination import Combinable

from server import regions
from server.accounts.tables import Account, AccountStatus, Role
from server.garments import CATEGORIES
from server.phones import display_phone
from server.tailors.services import effective_verification
from server.tailors.tables import TailorProfile, TailorSkill, Verification
from server.web.deleted import display_name

PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"


@dataclass(frozen=True)
class TailorFilter:
    province: str = ""
    city: str = ""
    skill: str = ""
    status: str = ""  # an effective verification status
    account: str = ""  # active / suspended

    def query_items(self) -> dict[str, str]:
        fields = ("province", "city", "skill", "status", "account")
        return {name: getattr(self, name) for name in fields if getattr(self, name)}


@dataclass(frozen=True)
class TailorRow:
    public_id: Any
    name: str
    phone: str
    account_status: str
    province_code: str | None
    city_code: str | None
    skills: list[str]
    verification: str
    capacity: int
    minimum_order: int


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[TailorRow]
    total: int
    page: int
    pages: int


def parse_filter(params: Mapping[str, str]) -> TailorFilter:
    """Unknown values are dropped rather than refused: a filter form has nothing to fix."""
    province = params.get("province", "")
    found = regions.city(params.get("city", ""))
    if found and province and found.province_code != province:
        found = None
    chosen = TailorFilter(
        province=province if regions.province(province) else "",
        city=found.code if found else "",
        skill=params.get("skill", "") if params.get("skill") in CATEGORIES else "",
        status=params.get("status", "") if params.get("status") in set(Verification) else "",
        account=params.get("account", "") if params.get("account") in set(AccountStatus) else "",
    )
    if chosen.city and not chosen.province:
        chosen = replace(chosen, province=found.province_code if found else "")
    return chosen


def parse_page(raw: str) -> int:
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


def verification_condition(status: str, on: date) -> Combinable:
    verified = TailorProfile.verification == Verification.VERIFIED
    if status == Verification.VERIFIED:
        return verified & (
            TailorProfile.certificate_expires_on.is_null()
            | (TailorProfile.certificate_expires_on >= on)
        )
    if status == Verification.EXPIRED:
        return (TailorProfile.verification == Verification.EXPIRED) | (
            verified & (TailorProfile.certificate_expires_on < on)
        )
    return TailorProfile.verification == status


def account_condition(chosen: TailorFilter, on: date) -> Combinable:
    """Tailor accounts matching the filter. An invited tailor may have no profile row yet."""
    condition: Combinable = Account.role == Role.TAILOR
    if chosen.account:
        condition &= Account.status == chosen.account
    profile_conditions: list[Combinable] = []
    if chosen.province:
        profile_conditions.append(TailorProfile.province_code == chosen.province)
    if chosen.city:
        profile_conditions.append(TailorProfile.city_code == chosen.city)
    if chosen.skill:
        profile_conditions.append(
            TailorProfile.id.is_in(
                TailorSkill.select(TailorSkill.profile).where(TailorSkill.category == chosen.skill)
            )
        )
    if chosen.status == Verification.INCOMPLETE and not profile_conditions:
        started = TailorProfile.select(TailorProfile.account).where(
            TailorProfile.verification != Verification.INCOMPLETE
        )
        return condition & Account.id.not_in(started)
    if chosen.status:
        profile_conditions.append(verification_condition(chosen.status, on))
    if profile_conditions:
        combined = profile_conditions[0]
        for extra in profile_conditions[1:]:
            combined &= extra
        condition &= Account.id.is_in(TailorProfile.select(TailorProfile.account).where(combined))
    return condition


async def rows_for(accounts: list[dict[str, Any]], on: date) -> list[TailorRow]:
    if not accounts:
        return []
    ids = [account["id"] for account in accounts]
    profiles = {
        row["account"]: row
        for row in await TailorProfile.select().where(TailorProfile.account.is_in(ids))
    }
    skills: dict[int, list[str]] = {}
    if profiles:
        profile_ids = [profile["id"] for profile in profiles.values()]
        for row in await TailorSkill.select(TailorSkill.profile, TailorSkill.category).where(
            TailorSkill.profile.is_in(profile_ids)
        ):
            skills.setdefault(row["profile"], []).append(row["category"])
    result = []
    for account in accounts:
        profile = profiles.get(account["id"])
        result.append(
            TailorRow(
                public_id=account["public_id"],
                name=account["name"],
                phone=account["phone"],
                account_status=account["status"],
                province_code=profile["province_code"] if profile else None,
                city_code=profile["city_code"] if profile else None,
                skills=sorted(skills.get(profile["id"], [])) if profile else [],
                verification=(
                    effective_verification(profile, on) if profile else Verification.INCOMPLETE
                ),
                capacity=profile["weekly_capacity"] if profile else 0,
                minimum_order=profile["minimum_order"] if profile else 0,
            )
        )
    return result


ACCOUNT_COLUMNS = (Account.id, Account.public_id, Account.name, Account.phone, Account.status)


async def find_tailors(chosen: TailorFilter, page: int, on: date) -> DirectoryPage:
    condition = account_condition(chosen, on)
    total = int(await Account.count().where(condition))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    accounts = await (
        Account.select(*ACCOUNT_COLUMNS)
        .where(condition)
        .order_by(Account.name, Account.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return DirectoryPage(rows=await rows_for(accounts, on), total=total, page=page, pages=pages)


async def all_tailors(chosen: TailorFilter, on: date) -> list[TailorRow]:
    accounts = await (
        Account.select(*ACCOUNT_COLUMNS)
        .where(account_condition(chosen, on))
        .order_by(Account.name, Account.id)
    )
    return await rows_for(accounts, on)


async def tailor_row(public_id: Any, on: date) -> TailorRow | None:
    account = await (
        Account.select(*ACCOUNT_COLUMNS)
        .where((Account.public_id == public_id) & (Account.role == Role.TAILOR))
        .first()
    )
    return (await rows_for([account], on))[0] if account else None


# CSV export -----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula: a leading = + - @ tab or CR is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """UTF-8 text with a byte-order mark, so Excel reads the names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return CSV_BOM + buffer.getvalue()


def export_rows(
    rows: Iterable[TailorRow],
    categories: Mapping[str, str],
    statuses: Mapping[str, str],
    suspended: str,
) -> list[list[object]]:
    """One spreadsheet row per tailor, with labels in the admin's language."""
    result: list[list[object]] = []
    for row in rows:
        city = regions.city(row.city_code or "")
        province = regions.province(row.province_code or "")
        status = statuses.get(row.verification, row.verification)
        if row.account_status == AccountStatus.SUSPENDED:
            status = f"{status} · {suspended}"
        result.append(
            [
                display_name(row.name),
                display_phone(row.phone),
                province.name if province else "",
                city.name if city else "",
                ", ".join(categories.get(skill, skill) for skill in row.skills),
                status,
                row.capacity,
                row.minimum_order,
            ]
        )
    return result
