"""The programme's progress: certified tailors against targets, and weekly activity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from piccolo.columns.combination import Combinable
from piccolo.query.functions.aggregate import Count

from server import regions
from server.accounts.tables import Account, AccountStatus, AuditEvent, Role
from server.admin.tables import ProvinceTarget
from server.db import transaction
from server.tailors.tables import TailorProfile, Verification

NATIONAL = "ID"
TARGET_MAX = 100_000
WEEKS_SHOWN = 8
# The programme's first cohorts (West Java, Jakarta, Yogyakarta, Surabaya) towards 500.
PROGRAMME_TARGETS = {NATIONAL: 500, "32": 165, "31": 100, "34": 60, "35": 50}


@dataclass(frozen=True)
class ProvinceProgress:
    code: str
    name: str
    certified: int
    target: int


@dataclass(frozen=True)
class Progress:
    provinces: list[ProvinceProgress]
    certified: int
    target: int


@dataclass(frozen=True)
class WeekActivity:
    year: int
    week: int
    monday: date
    signups: int
    verifications: int


def target_codes() -> list[str]:
    return [NATIONAL, *(province.code for province in regions.provinces())]


async def targets() -> dict[str, int]:
    """Stored targets; the programme's own figures stand in for any never set."""
    stored = {
        row["province_code"]: int(row["target"])
        for row in await ProvinceTarget.select(ProvinceTarget.province_code, ProvinceTarget.target)
    }
    return {**PROGRAMME_TARGETS, **stored}


def parse_targets(form: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """Field `target-<code>` per province (blank: 0) → (values, {code: error code})."""
    values: dict[str, int] = {}
    errors: dict[str, str] = {}
    for code in target_codes():
        raw = str(form.get(f"target-{code}", "")).strip()
        if not raw:
            values[code] = 0
            continue
        try:
            value = int(raw)
        except ValueError:
            errors[code] = "not_a_number"
            continue
        if not 0 <= value <= TARGET_MAX:
            errors[code] = "out_of_range"
            continue
        values[code] = value
    return values, errors


async def save_targets(values: Mapping[str, int]) -> None:
    async with transaction():
        await ProvinceTarget.insert(
            *[ProvinceTarget(province_code=code, target=target) for code, target in values.items()]
        ).on_conflict(
            target=ProvinceTarget.province_code,
            action="DO UPDATE",
            values=[ProvinceTarget.target],
        )


def certified_condition(on: date) -> Combinable:
    """Effectively verified: verified and not past the certificate's expiry date."""
    return (TailorProfile.verification == Verification.VERIFIED) & (
        TailorProfile.certificate_expires_on.is_null()
        | (TailorProfile.certificate_expires_on >= on)
    )


async def certified_per_province(on: date) -> dict[str | None, int]:
    rows = await (
        TailorProfile.select(TailorProfile.province_code, Count(alias="certified"))
        .where(certified_condition(on))
        .group_by(TailorProfile.province_code)
    )
    return {row["province_code"]: int(row["certified"]) for row in rows}


async def programme_progress(on: date) -> Progress:
    goals = await targets()
    certified = await certified_per_province(on)
    provinces = [
        ProvinceProgress(
            code=province.code,
            name=province.name,
            certified=certified.get(province.code, 0),
            target=goals.get(province.code, 0),
        )
        for province in regions.provinces()
    ]
    shown = sorted(
        (row for row in provinces if row.target or row.certified),
        key=lambda row: (-row.target, -row.certified, row.name),
    )
    return Progress(
        provinces=shown, certified=sum(certified.values()), target=goals.get(NATIONAL, 0)
    )


def week_mondays(today: date, weeks: int = WEEKS_SHOWN) -> list[date]:
    """The Mondays of the last `weeks` ISO weeks, this one included, oldest first."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def count_by_week(moments: Iterable[datetime], mondays: list[date], zone: tzinfo) -> list[int]:
    """How many moments fall in each ISO week (local time in `zone`); others are ignored."""
    index = {monday: position for position, monday in enumerate(mondays)}
    counts = [0] * len(mondays)
    for moment in moments:
        day = moment.astimezone(zone).date()
        position = index.get(day - timedelta(days=day.weekday()))
        if position is not None:
            counts[position] += 1
    return counts


async def weekly_activity(today: date, zone: tzinfo) -> list[WeekActivity]:
    """New tailor accounts and certificate approvals per ISO week, in the admin's zone."""
    mondays = week_mondays(today)
    since = datetime.combine(mondays[0], time(), tzinfo=zone).astimezone(UTC)
    signups = await Account.select(Account.created_at).where(
        (Account.role == Role.TAILOR) & (Account.created_at >= since)
    )
    approvals = await AuditEvent.select(AuditEvent.created_at).where(
        (AuditEvent.kind == "certificate_approved") & (AuditEvent.created_at >= since)
    )
    signup_counts = count_by_week((row["created_at"] for row in signups), mondays, zone)
    approval_counts = count_by_week((row["created_at"] for row in approvals), mondays, zone)
    return [
        WeekActivity(
            year=monday.isocalendar().year,
            week=monday.isocalendar().week,
            monday=monday,
            signups=signups_in_week,
            verifications=approvals_in_week,
        )
        for monday, signups_in_week, approvals_in_week in zip(
            mondays, signup_counts, approval_counts, strict=True
        )
    ]


async def suspended_count() -> int:
    return int(await Account.count().where(Account.status == AccountStatus.SUSPENDED))
