"""The data the route fuzzer walks among: one account per role and one order in each state that
matters (open for offers, open for taking, a draft, assigned, in production with messages and a
pending cancellation, shipped, completed and reviewed, disputed, cancelled, another pair's
order), built through the real services so path parameters can point at real objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from litestar import Litestar
from piccolo.columns import UUID as UUIDColumn

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, AccountStatus, Role
from server.admin.cohorts import create_cohort, parse_cohort
from server.auth.sessions import start_session
from server.db import all_tables
from server.media.services import store_photo
from server.orders.cancellations import services as cancellations
from server.orders.posting.services import cancel, save_draft
from server.orders.production.stages import Stage
from server.orders.reviews import services as reviews
from server.orders.thread import services as thread
from server.tailors.tables import TailorProfile, Verification
from tests.builders.orders import assigned, offer, order, walk_to
from tests.builders.people import COHORT, MET_AT_TRAINING, designer, session_for, signed_up, tailor
from tests.builders.push import subscribe
from tests.images import jpeg_with_gps

VISITOR = "visitor"
ROLES = (VISITOR, Role.TAILOR, Role.DESIGNER, Role.ADMIN)


@dataclass
class World:
    """Who plays each role, and every id and token an attacker could have seen somewhere."""

    accounts: dict[str, int]
    uuids: list[UUID]
    tokens: list[str] = field(default_factory=list)


async def brand(name: str, phone: str) -> int:
    """A designer signed in on a phone (its session is one more id to point at)."""
    account_id = await designer(name, phone, business=f"Usaha {name}", city=None)
    await session_for(account_id)
    return account_id


async def ready_tailor(name: str, phone: str) -> int:
    account_id = await tailor(name, phone, skills=("kemeja", "seragam"), capacity=1000)
    await session_for(account_id)
    return account_id


async def build_world(app: Litestar) -> World:
    admin_id, _token = await signed_up(Role.ADMIN, "Budi Admin", "0811-2000-0001")
    designer_id = await brand("Dewi Kirana", "0813-5555-0000")
    tailor_id = await ready_tailor("Siti Rahayu", "0812-1000-0001")
    rival_id = await ready_tailor("Rina Lestari", "0812-1000-0002")
    stranger_id = await brand("Bayu Pratama", "0813-5555-0001")
    await tailor("Wati Penjahit", "0812-1000-0003", certificate=app, **MET_AT_TRAINING)
    _invited, enrolment_token = await create_invited_account(
        Role.TAILOR, "Tini Undangan", "0812-1000-0004", admin_id
    )
    await create_cohort(parse_cohort(COHORT))
    await store_photo(app.state.media, tailor_id, "portfolio", jpeg_with_gps(320, 240))
    await subscribe(tailor_id)

    bidding = await order(designer_id, title="Kemeja untuk ditawar")
    for who, price in ((tailor_id, 40_000), (rival_id, 42_000)):
        await offer(who, bidding, price)
    await order(designer_id, title="Kemeja langsung", mode="direct")
    await save_draft(designer_id, {"title": "Draf kemeja", "category": "kemeja"}, None)
    await cancel(designer_id, await order(designer_id, title="Batal"), "Tidak jadi.")
    await assigned(designer_id, tailor_id, title="Baru diambil")

    sewing = await assigned(designer_id, tailor_id, title="Sedang dijahit")
    await walk_to(sewing, designer_id, tailor_id, Stage.SEWING)
    await thread.send_message(sewing, designer_id, Role.DESIGNER, "Bagaimana progresnya?")
    await thread.send_message(sewing, tailor_id, Role.TAILOR, "Sudah separuh, Bu.")
    await cancellations.request_cancellation(sewing, tailor_id, "Mesin jahit saya rusak.")

    shipped = await assigned(designer_id, tailor_id, title="Sudah dikirim")
    await walk_to(shipped, designer_id, tailor_id, Stage.SHIPPED)

    done = await assigned(designer_id, tailor_id, title="Selesai")
    await walk_to(done, designer_id, tailor_id, Stage.COMPLETED)
    await reviews.rate(done, designer_id, "5", "Rapi sekali.")

    disputed = await assigned(designer_id, tailor_id, title="Sengketa")
    await cancellations.request_cancellation(disputed, tailor_id, "Bahan tidak sesuai.")
    await cancellations.refuse_cancellation(disputed, designer_id, "Bahan sudah sesuai.")

    await walk_to(
        await assigned(stranger_id, rival_id, title="Pesanan orang lain"),
        stranger_id,
        rival_id,
        Stage.CUTTING,
    )
    accounts = {Role.ADMIN: admin_id, Role.DESIGNER: designer_id, Role.TAILOR: tailor_id}
    # Phones already taken, so forms that register or invite meet unique-key collisions.
    phones = ["0811-2000-0001", "0813-5555-0000", "0812-1000-0001", "+6281210000002"]
    return World(accounts, await every_uuid(), [enrolment_token, *phones])


async def every_uuid() -> list[UUID]:
    """Every UUID stored in any table: the public ids of accounts, orders, offers, photos,
    passkeys, sessions, notifications, drafts, cohorts, disputes..."""
    found: list[UUID] = []
    for table in all_tables():
        for column in table._meta.columns:
            if isinstance(column, UUIDColumn):
                rows = await table.select(column).output(as_list=True)
                found.extend(value for value in rows if isinstance(value, UUID))
    return sorted(set(found))


async def signed_in_as(world: World, role: str) -> str | None:
    """A fresh session token for `role` (None for a visitor). The role's account is put back
    as it was when an earlier request suspended it or took its tailor profile off work."""
    if role == VISITOR:
        return None
    account_id = world.accounts[role]
    await Account.update({Account.status: AccountStatus.ACTIVE}).where(Account.id == account_id)
    if role == Role.TAILOR:
        await TailorProfile.update(
            {
                TailorProfile.verification: Verification.VERIFIED,
                TailorProfile.certificate_expires_on: date.today() + timedelta(days=365),
                TailorProfile.available: True,
            }
        ).where(TailorProfile.account == account_id)
    return await start_session(account_id, "Chrome on Android", "passkey")
