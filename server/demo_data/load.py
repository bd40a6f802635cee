"""Write the demo programme into the database: only what is missing, in bulk inserts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from server.accounts.services import new_webauthn_user_id
from server.accounts.tables import Account, AuditEvent, Role
from server.admin.tables import CohortMember, ProvinceTarget, TrainingCohort
from server.db import transaction
from server.demo_data.order_load import ensure_orders
from server.demo_data.order_plan import plan_orders
from server.demo_data.photos import portfolio_swatches
from server.demo_data.plan import (
    CohortPlan,
    DesignerPlan,
    Person,
    TailorPlan,
    at,
    build_programme,
)
from server.designers.tables import DesignerProfile
from server.media.services import MediaStore, store_photo
from server.tailors import services as tailors
from server.tailors.tables import Certificate, CertificateStatus, TailorProfile, TailorSkill


@dataclass
class Summary:
    accounts: Counter[str] = field(default_factory=Counter)  # created, by role
    cohorts: int = 0
    orders: int = 0
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "the database already has accounts; no demo data loaded"
        by_role = ", ".join(
            plural(self.accounts[role], role) for role in (Role.TAILOR, Role.DESIGNER, Role.ADMIN)
        )
        total = sum(self.accounts.values())
        cohorts = plural(self.cohorts, "training cohort")
        orders = plural(self.orders, "order")
        return f"created {plural(total, 'account')} ({by_role}), {cohorts} and {orders}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


async def load_demo_data(
    today: date | None = None, *, if_empty: bool = False, media: MediaStore | None = None
) -> Summary:
    """Fill the database with the demo programme; what is already there is left alone.

    With a media store the demo tailor also gets portfolio photos.
    """
    summary = Summary()
    if if_empty and await Account.exists():
        summary.skipped = True
        return summary
    day = today or tailors.today()
    programme = build_programme(day)
    async with transaction():
        people = [programme.admin, *(designer.person for designer in programme.designers)]
        ids = await ensure_accounts(people, summary)
        admin_id = ids.get(programme.admin.phone)
        await ensure_designer_profiles(programme.designers, ids)
        await ensure_targets(programme.targets)
    for cohort in programme.cohorts:
        members = programme.tailors_of(cohort)
        async with transaction():
            ids = await ensure_accounts([tailor.person for tailor in members], summary)
            await ensure_tailor_profiles(members, ids, admin_id, media)
            await ensure_cohort(
                cohort, [ids[t.person.phone] for t in members if t.person.phone in ids], summary
            )
    ids = await account_ids(
        [designer.person.phone for designer in programme.designers]
        + [tailor.person.phone for tailor in programme.tailors]
    )
    summary.orders = await ensure_orders(plan_orders(programme, day), ids, day)
    return summary


async def account_ids(phones: list[str]) -> dict[str, int]:
    rows = await Account.select(Account.id, Account.phone).where(Account.phone.is_in(phones))
    return {row["phone"]: row["id"] for row in rows}


async def ensure_accounts(people: Sequence[Person], summary: Summary) -> dict[str, int]:
    """Account ids by phone. A phone already taken by someone of another role is left out."""
    phones = [person.phone for person in people]
    taken = {
        row["phone"]
        for row in await Account.select(Account.phone).where(Account.phone.is_in(phones))
    }
    missing = [person for person in people if person.phone not in taken]
    if missing:
        await Account.insert(
            *[
                Account(
                    role=person.role,
                    name=person.name,
                    phone=person.phone,
                    webauthn_user_id=new_webauthn_user_id(),
                    created_at=person.joined_at,
                )
                for person in missing
            ]
        )
        summary.accounts.update(person.role for person in missing)
    roles = {person.phone: person.role for person in people}
    rows = await Account.select(Account.id, Account.phone, Account.role).where(
        Account.phone.is_in(phones)
    )
    return {row["phone"]: row["id"] for row in rows if row["role"] == roles[row["phone"]]}


async def without_profile(
    table: type[TailorProfile] | type[DesignerProfile], accounts: list[int]
) -> set[int]:
    if not accounts:
        return set()
    rows = await table.select(table.account).where(table.account.is_in(accounts))
    return set(accounts) - {row["account"] for row in rows}


async def ensure_designer_profiles(designers: Sequence[DesignerPlan], ids: dict[str, int]) -> None:
    planned = {ids[d.person.phone]: d for d in designers if d.person.phone in ids}
    missing = await without_profile(DesignerProfile, list(planned))
    if not missing:
        return
    await DesignerProfile.insert(
        *[
            DesignerProfile(
                account=account,
                business_name=plan.business_name,
                business_type=plan.business_type,
                province_code=plan.province_code,
                city_code=plan.city_code,
                description=plan.description,
                updated_at=plan.person.joined_at,
            )
            for account, plan in planned.items()
            if account in missing
        ]
    )


async def ensure_tailor_profiles(
    members: Sequence[TailorPlan],
    ids: dict[str, int],
    admin_id: int | None,
    media: MediaStore | None,
) -> None:
    """Profile, skills, certificates and the admin's decisions of each tailor without a profile.

    Written the way the tailor services leave them: coordinates coarsened and their H3 cell,
    verification matching the latest certificate, an audit event for every decision.
    """
    planned = {ids[t.person.phone]: t for t in members if t.person.phone in ids}
    missing = await without_profile(TailorProfile, list(planned))
    new = {account: plan for account, plan in planned.items() if account in missing}
    if not new:
        return
    await TailorProfile.insert(*[tailor_profile(account, plan) for account, plan in new.items()])
    rows = await TailorProfile.select(TailorProfile.id, TailorProfile.account).where(
        TailorProfile.account.is_in(list(new))
    )
    profile_ids = {row["account"]: row["id"] for row in rows}
    await TailorSkill.insert(
        *[
            TailorSkill(profile=profile_ids[account], category=skill)
            for account, plan in new.items()
            for skill in plan.skills
        ]
    )
    certificates = [(account, c) for account, plan in new.items() for c in plan.certificates]
    await Certificate.insert(
        *[
            Certificate(
                account=account,
                number=c.number,
                scheme=c.scheme,
                issuer=c.issuer,
                issued_on=c.issued_on,
                expires_on=c.expires_on,
                status=c.status,
                submitted_at=c.submitted_at,
                decided_at=c.decided_at,
                decided_by=admin_id if c.decided_at else None,
                decision_reason=c.reason,
            )
            for account, c in certificates
        ]
    )
    decisions = [
        AuditEvent(
            subject=account,
            actor=admin_id,
            kind=(
                "certificate_approved"
                if c.status == CertificateStatus.APPROVED
                else "certificate_rejected"
            ),
            reason=c.reason,
            created_at=c.decided_at,
        )
        for account, c in certificates
        if c.decided_at is not None
    ]
    if decisions:
        await AuditEvent.insert(*decisions)
    if media is not None:
        for account, plan in new.items():
            for photo in portfolio_swatches(plan.portfolio_photos):
                await store_photo(media, account, "portfolio", photo)


def tailor_profile(account: int, plan: TailorPlan) -> TailorProfile:
    return TailorProfile(
        account=account,
        province_code=plan.province_code,
        city_code=plan.city_code,
        latitude=plan.latitude,
        longitude=plan.longitude,
        h3_cell=plan.h3_cell,
        location_source=plan.location_source,
        service_radius_km=plan.service_radius_km,
        equipment=json.dumps(list(plan.equipment)),
        weekly_capacity=plan.weekly_capacity,
        minimum_order=plan.minimum_order,
        bio=plan.bio,
        available=plan.available,
        verification=plan.verification,
        certificate_expires_on=plan.certificate_expires_on,
        updated_at=plan.updated_at,
    )


async def ensure_cohort(cohort: CohortPlan, accounts: list[int], summary: Summary) -> None:
    row = (
        await TrainingCohort.select(TrainingCohort.id)
        .where(TrainingCohort.name == cohort.name)
        .first()
    )
    if row is None:
        await TrainingCohort.insert(
            TrainingCohort(
                name=cohort.name,
                place=cohort.place,
                province_code=cohort.province_code,
                starts_on=cohort.starts_on,
                ends_on=cohort.ends_on,
                trainer=cohort.trainer,
                created_at=at(cohort.starts_on, 8),
            )
        )
        summary.cohorts += 1
        row = (
            await TrainingCohort.select(TrainingCohort.id)
            .where(TrainingCohort.name == cohort.name)
            .first()
        )
        assert row is not None
    if not accounts:
        return
    listed = await CohortMember.select(CohortMember.account).where(
        (CohortMember.cohort == row["id"]) & CohortMember.account.is_in(accounts)
    )
    already = {member["account"] for member in listed}
    missing = [account for account in accounts if account not in already]
    if missing:
        added_at = at(cohort.starts_on, 8)
        await CohortMember.insert(
            *[
                CohortMember(cohort=row["id"], account=account, added_at=added_at)
                for account in missing
            ]
        )


async def ensure_targets(targets: Sequence[tuple[str, int]]) -> None:
    rows = await ProvinceTarget.select(ProvinceTarget.province_code)
    present = {row["province_code"] for row in rows}
    missing = [(code, target) for code, target in targets if code not in present]
    if missing:
        await ProvinceTarget.insert(
            *[ProvinceTarget(province_code=code, target=target) for code, target in missing]
        )
