"""The certificate verification queue: oldest first, one certificate at a time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable

from server import regions
from server.admin.tables import CohortMember
from server.tailors.tables import Certificate, CertificateStatus, TailorProfile

QUEUE_LIMIT = 200
SEARCH_MAX = 100
PHONE_DIGITS_MIN = 4


def is_pending() -> Combinable:
    return Certificate.status == CertificateStatus.PENDING


@dataclass(frozen=True)
class QueueFilter:
    search: str = ""  # a name, a phone number or a certificate number, or part of one
    province: str = ""
    cohort: UUID | None = None

    def query_items(self) -> dict[str, str]:
        items = {"q": self.search, "province": self.province, "cohort": str(self.cohort or "")}
        return {name: value for name, value in items.items() if value}


def parse_queue_filter(params: Mapping[str, str], cohorts: Iterable[UUID]) -> QueueFilter:
    """Unknown values are dropped rather than refused: a filter form has nothing to fix."""
    province = params.get("province", "")
    try:
        cohort: UUID | None = UUID(params.get("cohort", ""))
    except ValueError:
        cohort = None
    return QueueFilter(
        search=" ".join(params.get("q", "").split())[:SEARCH_MAX],
        province=province if regions.province(province) else "",
        cohort=cohort if cohort in set(cohorts) else None,
    )


def phone_fragment(search: str) -> str:
    """0812-3456 → 628123456, to match the stored +628123456…; too few digits match nothing."""
    digits = "".join(char for char in search if char.isdigit())
    if len(digits) < PHONE_DIGITS_MIN:
        return ""
    return "62" + digits[1:] if digits.startswith("08") else digits


def queue_condition(chosen: QueueFilter) -> Combinable:
    condition = is_pending()
    if chosen.search:
        pattern = f"%{chosen.search}%"
        matches = Certificate.account.name.ilike(pattern) | Certificate.number.ilike(pattern)
        digits = phone_fragment(chosen.search)
        if digits:
            matches |= Certificate.account.phone.like(f"%{digits}%")
        condition &= matches
    if chosen.province:
        condition &= Certificate.account.is_in(
            TailorProfile.select(TailorProfile.account).where(
                TailorProfile.province_code == chosen.province
            )
        )
    if chosen.cohort:
        condition &= Certificate.account.is_in(
            CohortMember.select(CohortMember.account).where(
                CohortMember.cohort.public_id == chosen.cohort
            )
        )
    return condition


async def pending_count(chosen: QueueFilter | None = None) -> int:
    return int(await Certificate.count().where(queue_condition(chosen or QueueFilter())))


async def pending_queue(
    chosen: QueueFilter | None = None, limit: int = QUEUE_LIMIT
) -> list[dict[str, Any]]:
    """Oldest first, with the tailor's number and city so a search hit can be recognised."""
    rows: list[dict[str, Any]] = await (
        Certificate.select(
            Certificate.public_id,
            Certificate.number,
            Certificate.submitted_at,
            Certificate.account.name.as_alias("name"),
            Certificate.account.phone.as_alias("phone"),
            Certificate.account.as_alias("account_id"),
        )
        .where(queue_condition(chosen or QueueFilter()))
        .order_by(Certificate.submitted_at, Certificate.id)
        .limit(limit)
    )
    if rows:
        cities = {
            row["account"]: row["city_code"]
            for row in await TailorProfile.select(
                TailorProfile.account, TailorProfile.city_code
            ).where(TailorProfile.account.is_in([row["account_id"] for row in rows]))
        }
        for row in rows:
            city = regions.city(cities.get(row["account_id"]) or "")
            row["city_name"] = city.name if city else ""
    return rows


async def next_pending() -> UUID | None:
    """The certificate that has waited longest."""
    row = await (
        Certificate.select(Certificate.public_id)
        .where(is_pending())
        .order_by(Certificate.submitted_at, Certificate.id)
        .first()
    )
    return None if row is None else row["public_id"]


async def certificate_detail(public_id: UUID) -> dict[str, Any] | None:
    """The certificate with what the admin needs beside it: who, where, the photo."""
    row: dict[str, Any] | None = await (
        Certificate.select(
            *Certificate.all_columns(),
            Certificate.account.name.as_alias("name"),
            Certificate.account.phone.as_alias("phone"),
            Certificate.account.public_id.as_alias("account_public_id"),
            Certificate.photo.public_id.as_alias("photo_public_id"),
            Certificate.decided_by.name.as_alias("decided_by_name"),
        )
        .where(Certificate.public_id == public_id)
        .first()
    )
    if row is None:
        return None
    profile = await (
        TailorProfile.select(TailorProfile.city_code, TailorProfile.province_code)
        .where(TailorProfile.account == row["account"])
        .first()
    )
    city = regions.city(profile["city_code"] or "") if profile else None
    province = regions.province(city.province_code) if city else None
    row["city_name"] = city.name if city else None
    row["province_name"] = province.name if province else None
    row["earlier_decisions"] = await (
        Certificate.select(Certificate.status, Certificate.decided_at, Certificate.decision_reason)
        .where(
            (Certificate.account == row["account"])
            & (Certificate.id != row["id"])
            & (Certificate.status != CertificateStatus.PENDING)
        )
        .order_by(Certificate.submitted_at, ascending=False)
    )
    return row
