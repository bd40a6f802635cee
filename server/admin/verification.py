"""The certificate verification queue: oldest first, one certificate at a time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable

from server import regions
from server.tailors.tables import Certificate, CertificateStatus, TailorProfile

QUEUE_LIMIT = 200


def is_pending() -> Combinable:
    return Certificate.status == CertificateStatus.PENDING


async def pending_count() -> int:
    return int(await Certificate.count().where(is_pending()))


async def pending_queue(limit: int = QUEUE_LIMIT) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Certificate.select(
            Certificate.public_id,
            Certificate.number,
            Certificate.submitted_at,
            Certificate.account.name.as_alias("name"),
        )
        .where(is_pending())
        .order_by(Certificate.submitted_at, Certificate.id)
        .limit(limit)
    )
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
