"""A deleted tailor in the admin's tools: the verification queue and certificate page, the
cohort list, the accounts list. "akun dihapus" where the name was, no number, no link to reach
them, no way to hand the account back out."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, AuditEvent
from server.admin.cohorts import create_cohort, parse_cohort
from server.admin.tables import CohortMember, TrainingCohort
from server.admin.verification import pending_count
from server.orders.production.stages import Stage
from server.orders.tables import Cancellation
from server.orders.thread import services as thread
from server.privacy.erasure import delete_account
from server.tailors.services import decide_certificate
from server.tailors.tables import Certificate
from tests.builders.orders import confirm_down_payment, deal, move_to
from tests.builders.people import (
    CERTIFICATE,
    COHORT,
    MET_AT_TRAINING,
    certificate_of,
    signed_in_admin,
    tailor,
)
from tests.helpers import post_form

WAITING = ("Ayu Lestari", "0812-3456-7002", "6281234567002")
APPROVED = ("Wulan Sari", "0812-3456-7001", "6281234567001")


def assert_gone(page: str, *person: str) -> None:
    for detail in (*person, CERTIFICATE["number"], "wa.me"):
        assert detail not in page


async def test_deleted_tailors_read_as_deleted_in_the_admin_tools(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    admin = await signed_in_admin(client)
    waiting = await tailor(WAITING[0], WAITING[1], certificate=app, **MET_AT_TRAINING)
    approved = await tailor(APPROVED[0], APPROVED[1], certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(approved)
    await decide_certificate(certificate["public_id"], admin["id"], True, "")
    cohort_id = await create_cohort(parse_cohort(COHORT))
    cohort = await TrainingCohort.select().where(TrainingCohort.public_id == cohort_id).first()
    await CohortMember.insert(
        *[CohortMember(cohort=cohort["id"], account=a) for a in (waiting, approved)]
    )
    assert await pending_count() == 1

    for account_id in (waiting, approved):
        await delete_account(account_id, app.state.media)

    assert await pending_count() == 0
    assert await Certificate.count().where(Certificate.account == waiting) == 0
    assert await AuditEvent.count().where(AuditEvent.kind == "account_deleted") == 2
    queue = await client.get("/admin/verifications")
    detail = await client.get(f"/admin/verifications/{certificate['public_id']}")
    members = await client.get(f"/admin/cohorts/{cohort_id}")
    accounts = await client.get("/admin/accounts")
    dashboard = await client.get("/admin/")
    public = await Account.select(Account.public_id).where(Account.id == approved).first()
    profile = await client.get(f"/tailors/{public['public_id']}")
    for response in (queue, detail, members, accounts, dashboard, profile):
        assert response.status_code == 200
        assert_gone(response.text, *WAITING, *APPROVED)
    assert "akun dihapus" in detail.text
    assert members.text.count("akun dihapus</a> (dihapus)") == 2
    assert accounts.text.count("akun dihapus") == 2
    approved_row = await certificate_of(approved)
    assert approved_row["status"] == "approved"  # the programme still counts the certificate


async def test_no_enrolment_link_for_a_deleted_account(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    await signed_in_admin(client)
    account_id = await tailor(WAITING[0], WAITING[1], verification=None, **MET_AT_TRAINING)
    await delete_account(account_id, app.state.media)
    account = await AuditEvent.select(AuditEvent.subject.public_id.as_alias("public_id")).first()

    page = await client.get(f"/admin/accounts/{account['public_id']}")
    response = await post_form(
        client, f"/admin/accounts/{account['public_id']}/enrolment-links", {}
    )

    assert page.status_code == 200
    assert "enrolment-links" not in page.text
    assert response.status_code == 404


async def test_a_settled_dispute_reads_whole_after_the_tailor_deletes(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    async with AsyncExitStack() as stack:
        current = await deal(stack, app)
        await signed_in_admin(client)
        await move_to(current, Stage.CUTTING)
        await confirm_down_payment(current.public_id)
        await thread.send_message(current.public_id, current.tailor_id, "tailor", "Mesin rusak.")
        reason = {"reason": "Mesin jahit saya rusak dan belum bisa diperbaiki."}
        await post_form(current.tailor_client, f"{current.url}/cancellation", reason)
        refusal = {"note": "Bahan sudah dipotong, tolong dilanjutkan."}
        await post_form(current.designer_client, f"{current.url}/cancellation/refuse", refusal)
        order = await current.row()
        cancellation = await Cancellation.select().where(Cancellation.order == order["id"]).first()
        url = f"/admin/disputes/{cancellation['public_id']}"
        decision = {"outcome": "cancel", "decision": "Pesanan dibatalkan, DP dikembalikan."}
        assert (await post_form(client, f"{url}/decision", decision)).status_code == 200

        await delete_account(current.tailor_id, app.state.media)

        page = await client.get(url)
        listing = await client.get("/admin/disputes?status=resolved")
        for response in (page, listing):
            assert response.status_code == 200
            assert_gone(response.text, "Siti Rahayu", "0812-1000-0001", "6281210000001")
        assert "akun dihapus" in page.text and "Mesin rusak." in page.text
        assert "0813-5555-0000" in page.text  # the designer is still reachable
