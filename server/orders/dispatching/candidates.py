"""Tailors as dispatch weighs them, read from the tables: place, skills, verification, the
work they hold and the jobs they did lately. The rules themselves are pure, in
`server.dispatch`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from piccolo.columns.combination import Combinable

from server.clock import now
from server.dispatch.eligibility import refusal_for
from server.dispatch.rules import Candidate
from server.orders.tables import Order, OrderStatus
from server.tailors.services import effective_verification
from server.tailors.tables import TailorProfile, TailorSkill

RECENT_DAYS = 30


async def candidates_where(where: Combinable, today: date) -> list[Candidate]:
    """Tailors (with a place) as dispatch weighs them: skills, assigned work, recent jobs."""
    profiles = await TailorProfile.select(
        TailorProfile.id,
        TailorProfile.account.id,
        TailorProfile.account.status,
        TailorProfile.verification,
        TailorProfile.certificate_expires_on,
        TailorProfile.available,
        TailorProfile.latitude,
        TailorProfile.longitude,
        TailorProfile.service_radius_km,
        TailorProfile.minimum_order,
        TailorProfile.weekly_capacity,
        TailorProfile.rating_average,
    ).where(where)
    profiles = [row for row in profiles if row["latitude"] is not None]
    if not profiles:
        return []
    profile_ids = [row["id"] for row in profiles]
    account_ids = [row["account.id"] for row in profiles]
    skills: dict[int, set[str]] = {}
    for row in await TailorSkill.select(TailorSkill.profile, TailorSkill.category).where(
        TailorSkill.profile.is_in(profile_ids)
    ):
        skills.setdefault(row["profile"], set()).add(row["category"])
    committed: dict[int, int] = {}
    recent: dict[int, int] = {}
    since = now() - timedelta(days=RECENT_DAYS)
    for row in await Order.select(Order.assigned_tailor, Order.quantity, Order.assigned_at).where(
        (Order.status == OrderStatus.ASSIGNED) & Order.assigned_tailor.is_in(account_ids)
    ):
        tailor = row["assigned_tailor"]
        committed[tailor] = committed.get(tailor, 0) + row["quantity"]
        if row["assigned_at"] and row["assigned_at"] >= since:
            recent[tailor] = recent.get(tailor, 0) + 1
    return [
        Candidate(
            account_id=row["account.id"],
            verification=effective_verification(
                {
                    "verification": row["verification"],
                    "certificate_expires_on": row["certificate_expires_on"],
                },
                today,
            ),
            available=bool(row["available"]),
            active=row["account.status"] == "active",
            skills=frozenset(skills.get(row["id"], set())),
            latitude=row["latitude"],
            longitude=row["longitude"],
            radius_km=row["service_radius_km"],
            minimum_order=row["minimum_order"],
            weekly_capacity=row["weekly_capacity"],
            committed_pieces=committed.get(row["account.id"], 0),
            rating=row["rating_average"],
            recent_jobs=recent.get(row["account.id"], 0),
        )
        for row in profiles
    ]


async def candidate_of(tailor_id: int, today: date) -> Candidate | None:
    found = await candidates_where(TailorProfile.account == tailor_id, today)
    return found[0] if found else None


async def refusal(
    tailor_id: int, order: dict[str, Any], today: date, *, reading: bool = False
) -> str | None:
    return refusal_for(await candidate_of(tailor_id, today), order, today, reading=reading)
