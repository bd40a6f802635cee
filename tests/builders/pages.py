"""The people behind every page, one per role, each with what makes their pages full: orders
in the feed, with offers and in production, a draft, a dispute, a cohort, a certificate to
check. Each returns the session token to sign the browser in, and the ids its pages need."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from litestar import Litestar

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, Role
from server.admin.cohorts import add_member_by_phone, create_cohort, get_cohort, parse_cohort
from server.orders.cancellations import services as cancellations
from server.orders.offers import services as orders
from server.orders.production.stages import Stage
from server.orders.tables import Cancellation
from tests.builders.orders import OFFER, draft, in_production, order, with_offers
from tests.builders.people import (
    COHORT,
    MET_AT_TRAINING,
    account,
    certificate_of,
    designer,
    session_for,
    tailor,
)
from tests.builders.push import notify_one


@dataclass
class Person:
    """A browser's session token (none for a visitor) and the ids in its pages' paths."""

    token: str | None
    ids: dict[str, UUID | str] = field(default_factory=dict)


async def public_id(account_id: int) -> UUID:
    row = await Account.select(Account.public_id).where(Account.id == account_id).first()
    return UUID(str(row["public_id"]))


async def signed_in(account_id: int) -> tuple[int, str]:
    return account_id, await session_for(account_id)


async def ready_tailor(name: str, phone: str) -> int:
    return await tailor(name, phone, skills=("kemeja", "seragam"), capacity=1000)


async def brand(name: str, phone: str) -> int:
    return await designer(name, phone, city=None)


async def visitor() -> Person:
    _account, enrolment = await create_invited_account(
        Role.TAILOR, "Wati Peserta", "0812-7000-0001", None
    )
    return Person(None, {"enrolment": enrolment})


async def new_tailor() -> Person:
    """Signed up a moment ago: nothing filled in, nothing verified."""
    account_id, token = await signed_in(await account(Role.TAILOR, "Ani Baru", "0812-7000-0002"))
    return Person(token, {"self": await public_id(account_id)})


async def waiting_tailor(app: Litestar) -> Person:
    """Profile filled in and certificate sent: waiting for an admin to check it."""
    account_id, token = await signed_in(
        await account(Role.TAILOR, "Wati Menunggu", "0812-7000-0009")
    )
    await tailor(account_id=account_id, certificate=app, **MET_AT_TRAINING)
    return Person(token)


async def verified_tailor() -> Person:
    """Ready to work, with orders nearby in the feed (one with their offer), one in production
    and an alert."""
    designer_id = await brand("Dewi Kirana", "0813-7000-0001")
    account_id, token = await signed_in(await ready_tailor("Siti Rahayu", "0812-7000-0003"))
    feed_order = await order(designer_id, title="Kemeja flanel komunitas")
    offered_order = await order(designer_id, title="Seragam sekolah")
    await orders.make_offer(account_id, offered_order, OFFER)
    await notify_one(account_id, title="Pesanan baru", body="Kemeja flanel, 50 pcs")
    return Person(
        token,
        {
            "self": await public_id(account_id),
            "feed_order": feed_order,
            "offered_order": offered_order,
            "production_order": await in_production(designer_id, account_id),
        },
    )


async def designer_with_orders() -> Person:
    """A draft, an order with two offers, one in production and one completed."""
    designer_id, token = await signed_in(await brand("Dewi Kirana", "0813-7000-0002"))
    first = await ready_tailor("Siti Rahayu", "0812-7000-0004")
    second = await ready_tailor("Rina Lestari", "0812-7000-0005")
    offers_order = await with_offers(designer_id, [first, second], title="Kemeja flanel komunitas")
    return Person(
        token,
        {
            "draft": await draft(designer_id),
            "offers_order": offers_order,
            "production_order": await in_production(designer_id, first),
            "completed_order": await in_production(designer_id, second, Stage.COMPLETED),
            "tailor": await public_id(first),
        },
    )


async def admin(app: Litestar) -> Person:
    """A certificate waiting, a verified tailor in a training cohort, a dispute to decide."""
    admin_id, token = await signed_in(await account(Role.ADMIN, "Budi Admin", "0811-7000-0001"))
    waiting = await tailor("Ani Baru", "0812-7000-0006", certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(waiting)
    verified = await tailor(
        "Siti Rahayu",
        "0812-7000-0007",
        certificate=app,
        approved_by=admin_id,
        **MET_AT_TRAINING,
    )
    cohort = await create_cohort(parse_cohort(COHORT))
    await add_member_by_phone((await get_cohort(cohort))["id"], "0812-7000-0007")
    designer_id = await brand("Dewi Kirana", "0813-7000-0003")
    tailor_id = await ready_tailor("Rina Lestari", "0812-7000-0008")
    disputed = await in_production(designer_id, tailor_id)
    await cancellations.request_cancellation(disputed, tailor_id, "Mesin jahit saya rusak.")
    await cancellations.refuse_cancellation(disputed, designer_id, "Tolong lanjutkan.")
    request = await Cancellation.select(Cancellation.public_id).first()
    return Person(
        token,
        {
            "certificate": certificate["public_id"],
            "tailor": await public_id(verified),
            "cohort": cohort,
            "dispute": request["public_id"],
            "order": disputed,
            "designer": await public_id(designer_id),
        },
    )
