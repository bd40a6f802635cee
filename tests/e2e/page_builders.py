"""The people behind every page, one per role, each with what makes their pages full: orders
in the feed, with offers and in production, a draft, a dispute, a cohort, a certificate to
check. Each returns the session token to sign the browser in, and the ids its pages need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from litestar import Litestar

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, Role
from server.admin.cohorts import add_member_by_phone, create_cohort, get_cohort, parse_cohort
from server.designers.tables import DesignerProfile
from server.orders.assignment.services import take
from server.orders.cancellations import services as cancellations
from server.orders.offers import services as orders
from server.orders.posting.services import save_draft
from server.orders.production.stages import Stage
from server.orders.tables import Cancellation
from tests.integration import admin_builders
from tests.integration.admin_builders import COHORT
from tests.integration.production_builders import signed_up, walk_to
from tests.integration.push_builders import notify_one
from tests.integration.tailor_order_builders import KOTA_BANDUNG, order, ready_to_work, today

DRAFT = {
    "category": "kemeja",
    "title": "Kemeja linen",
    "description": "Kemeja lengan pendek, kain linen.",
    "fabric_by": "designer",
    "size_M": "24",
    "budget_per_piece": "60000",
    "deadline": (today() + timedelta(days=30)).isoformat(),
    "province": "32",
    "city": KOTA_BANDUNG,
    "mode": "bidding",
}
OFFER = orders.OfferForm(price_per_piece=42_000, ready_by=today() + timedelta(days=10), note="")


@dataclass
class Person:
    """A browser's session token (none for a visitor) and the ids in its pages' paths."""

    token: str | None
    ids: dict[str, UUID | str] = field(default_factory=dict)


async def public_id(account_id: int) -> UUID:
    row = await Account.select(Account.public_id).where(Account.id == account_id).first()
    return UUID(str(row["public_id"]))


async def designer(name: str, phone: str) -> tuple[int, str]:
    account_id, token = await signed_up(Role.DESIGNER, name, phone)
    await DesignerProfile.insert(
        DesignerProfile(account=account_id, business_name="Batik Kirana", business_type="brand")
    )
    return account_id, token


async def tailor(name: str, phone: str) -> tuple[int, str]:
    account_id, token = await signed_up(Role.TAILOR, name, phone)
    await ready_to_work(account_id, skills=("kemeja", "seragam"), radius=50, capacity=1000)
    return account_id, token


async def in_production(designer_id: int, tailor_id: int, stage: Stage = Stage.CUTTING) -> UUID:
    """A Langsung order the tailor took, moved along to `stage` by both parties."""
    public_id = await order(designer_id, mode="direct", title="Seragam batik kantor")
    await take(tailor_id, public_id)
    await walk_to(public_id, designer_id, tailor_id, stage)
    return public_id


async def visitor() -> Person:
    _account, enrolment = await create_invited_account(
        Role.TAILOR, "Wati Peserta", "0812-7000-0001", None
    )
    return Person(None, {"enrolment": enrolment})


async def new_tailor() -> Person:
    """Signed up a moment ago: nothing filled in, nothing verified."""
    account_id, token = await signed_up(Role.TAILOR, "Ani Baru", "0812-7000-0002")
    return Person(token, {"self": await public_id(account_id)})


async def waiting_tailor(app: Litestar) -> Person:
    """Profile filled in and certificate sent: waiting for an admin to check it."""
    account_id, token = await signed_up(Role.TAILOR, "Wati Menunggu", "0812-7000-0009")
    await admin_builders.tailor(app, "", "", account_id=account_id)
    return Person(token)


async def verified_tailor() -> Person:
    """Ready to work, with orders nearby in the feed (one with their offer), one in production
    and an alert."""
    designer_id, _token = await designer("Dewi Kirana", "0813-7000-0001")
    account_id, token = await tailor("Siti Rahayu", "0812-7000-0003")
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
    designer_id, token = await designer("Dewi Kirana", "0813-7000-0002")
    first, _ = await tailor("Siti Rahayu", "0812-7000-0004")
    second, _ = await tailor("Rina Lestari", "0812-7000-0005")
    with_offers = await order(designer_id, title="Kemeja flanel komunitas")
    for tailor_id in (first, second):
        await orders.make_offer(tailor_id, with_offers, OFFER)
    draft = await save_draft(designer_id, DRAFT, None)
    return Person(
        token,
        {
            "draft": draft,
            "offers_order": with_offers,
            "production_order": await in_production(designer_id, first),
            "completed_order": await in_production(designer_id, second, Stage.COMPLETED),
            "tailor": await public_id(first),
        },
    )


async def admin(app: Litestar) -> Person:
    """A certificate waiting, a verified tailor in a training cohort, a dispute to decide."""
    admin_id, token = await signed_up(Role.ADMIN, "Budi Admin", "0811-7000-0001")
    waiting = await admin_builders.tailor(app, "Ani Baru", "0812-7000-0006")
    certificate = await admin_builders.certificate_of(waiting)
    verified = await admin_builders.verified_tailor(app, admin_id, "Siti Rahayu", "0812-7000-0007")
    cohort = await create_cohort(parse_cohort(COHORT))
    await add_member_by_phone((await get_cohort(cohort))["id"], "0812-7000-0007")
    designer_id, _token = await designer("Dewi Kirana", "0813-7000-0003")
    tailor_id, _token = await tailor("Rina Lestari", "0812-7000-0008")
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
