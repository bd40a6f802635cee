"""Disputes: a refused cancellation request reaches the admin, who reads the whole order and
decides once; both parties see the decision."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from markupsafe import escape

from server.accounts.tables import AuditEvent
from server.admin.refusals import AdminError
from server.notifications.tables import Notification
from server.orders.production.stages import Stage
from server.orders.refusals import TrackingError
from server.orders.tables import Cancellation, CancellationStatus, Message, OrderStatus
from server.web import i18n
from tests.builders.orders import Deal, confirm_down_payment, deal, move_to
from tests.builders.people import signed_in_admin
from tests.helpers import HX, indonesian, post_form

REASON = "Mesin jahit rusak, saya tidak bisa menyelesaikan order ini tepat waktu."
REFUSAL = "Bahan sudah saya kirim dan DP sudah dibayar, tolong lanjutkan."
DECISION = "Penjahit sudah menerima DP dan bahan; produksi dilanjutkan dengan tenggat baru."


@dataclass
class Dispute:
    deal: Deal
    admin_client: AsyncTestClient[Litestar]
    admin_id: int

    @property
    async def row(self) -> dict[str, Any]:
        order = await self.deal.row()
        row: dict[str, Any] = (
            await Cancellation.select().where(Cancellation.order == order["id"]).first()
        )
        return row

    async def url(self) -> str:
        return f"/admin/disputes/{(await self.row)['public_id']}"


@pytest.fixture
async def dispute(app: Litestar) -> AsyncIterator[Dispute]:
    """The tailor asked to cancel during cutting, after two messages and a confirmed DP; the
    designer refused. An admin is signed in on a fourth client."""
    async with AsyncExitStack() as stack:
        current = await deal(stack, app)
        admin_client = await stack.enter_async_context(AsyncTestClient(app=app))
        admin = await signed_in_admin(admin_client)
        await move_to(current, Stage.CUTTING)
        await confirm_down_payment(current.public_id)
        order = await current.row()
        start = datetime.now(UTC) - timedelta(hours=2)
        await Message.insert(
            Message(
                order=order["id"],
                sender=current.designer_id,
                recipient=current.tailor_id,
                body="Bagaimana progres potongnya?",
                created_at=start,
            ),
            Message(
                order=order["id"],
                sender=current.tailor_id,
                recipient=current.designer_id,
                body="Mesin saya rusak, mohon maaf.",
                created_at=start + timedelta(minutes=30),
            ),
        )
        await post_form(current.tailor_client, f"{current.url}/cancellation", {"reason": REASON})
        await post_form(
            current.designer_client, f"{current.url}/cancellation/refuse", {"note": REFUSAL}
        )
        yield Dispute(current, admin_client, int(admin["id"]))


def decision_refusal(code: str) -> str:
    with i18n.using_locale("id"):
        return str(escape(AdminError(code).message))


async def decide(dispute: Dispute, outcome: str, decision: str = DECISION) -> Any:
    return await post_form(
        dispute.admin_client,
        f"{await dispute.url()}/decision",
        {"outcome": outcome, "decision": decision},
        follow_redirects=False,
    )


async def test_refused_request_is_a_dispute_the_admin_sees_in_full(dispute: Dispute) -> None:
    row = await dispute.row
    assert row["status"] == CancellationStatus.DISPUTED
    alerts = await Notification.select().where(Notification.account == dispute.admin_id)
    assert [alert["url"] for alert in alerts] == [await dispute.url()]

    listing = await dispute.admin_client.get("/admin/disputes")
    assert listing.status_code == 200
    for shown in ("Kemeja seragam kantor", "Dewi Kirana", "Siti Rahayu", REASON):
        assert shown in listing.text, shown
    assert f'href="{await dispute.url()}"' in listing.text

    page = await dispute.admin_client.get(await dispute.url())
    assert page.status_code == 200
    html = page.text
    for shown in (REASON, REFUSAL, "0813-5555-0000", "0812-1000-0001"):
        assert shown in html, shown
    for stage in ("Confirmed", "Materials received", "Cutting"):
        assert indonesian(stage) in html, stage
    first = html.index("Bagaimana progres potongnya?")
    assert first < html.index("Mesin saya rusak, mohon maaf.")
    assert html.index("Dewi Kirana", first - 300) < first
    assert "Rp1.125.000" in html  # the down payment, half of 50 × Rp45.000
    assert indonesian("Received") in html
    assert 'name="outcome" value="cancel"' in html and 'name="outcome" value="continue"' in html


async def test_admin_cancels_and_both_parties_see_the_decision(dispute: Dispute) -> None:
    current = dispute.deal
    before = len(await Notification.select().where(Notification.account == current.tailor_id))
    response = await decide(dispute, "cancel")
    assert response.status_code == 303
    assert response.headers["location"] == f"{await dispute.url()}?decided=cancel"
    row = await dispute.row
    assert (row["status"], row["outcome"], row["decision"], row["decided_by"]) == (
        CancellationStatus.RESOLVED,
        "cancel",
        DECISION,
        dispute.admin_id,
    )
    order = await current.row()
    assert (order["status"], order["cancel_reason"]) == (OrderStatus.CANCELLED, REASON)
    audit = await AuditEvent.select().where(AuditEvent.actor == dispute.admin_id)
    assert sorted(event["subject"] for event in audit) == sorted(
        (current.designer_id, current.tailor_id)
    )
    assert {(event["kind"], event["reason"]) for event in audit} == {("dispute_cancel", DECISION)}
    after = await Notification.select().where(Notification.account == current.tailor_id)
    assert len(after) == before + 1 and after[-1]["tag"] == f"order-{current.public_id}"
    for client in (current.designer_client, current.tailor_client):
        page = (await client.get(current.url)).text
        assert indonesian("Admin decision") in page
        assert indonesian("The order is cancelled.") in page
        assert escape(DECISION) in page
    shown = await dispute.admin_client.get(f"{await dispute.url()}?decided=cancel")
    assert indonesian("Decided: the order is cancelled. Both sides were told.") in shown.text
    assert 'name="outcome"' not in shown.text


async def test_admin_lets_production_continue_and_the_tailor_moves_on(dispute: Dispute) -> None:
    current = dispute.deal
    stage_form = f'action="/orders/{current.public_id}/stages"'
    assert stage_form not in (await current.tailor_client.get(current.url)).text
    assert (await decide(dispute, "continue")).status_code == 303
    assert (await current.row())["status"] == OrderStatus.ASSIGNED
    page = (await current.tailor_client.get(current.url)).text
    assert indonesian("Production continues.") in page
    assert escape(DECISION) in page
    assert stage_form in page
    posted = await post_form(
        current.tailor_client, f"{current.url}/stages", {"stage": "sewing"}, headers=HX
    )
    assert posted.status_code == 200
    assert (await current.row())["stage"] == Stage.SEWING
    listing = await dispute.admin_client.get("/admin/disputes")
    assert indonesian("Recently decided") in listing.text
    assert REASON in listing.text


async def test_deciding_twice_is_a_conflict(dispute: Dispute) -> None:
    await decide(dispute, "continue")
    again = await decide(dispute, "cancel", "Saya berubah pikiran, batalkan saja.")
    assert again.status_code == 409
    assert decision_refusal("already_decided") in again.text
    row = await dispute.row
    assert (row["outcome"], row["decision"]) == ("continue", DECISION)
    assert (await dispute.deal.row())["status"] == OrderStatus.ASSIGNED
    assert len(await AuditEvent.select().where(AuditEvent.actor == dispute.admin_id)) == 2


@pytest.mark.parametrize(
    ("outcome", "decision", "code"),
    [
        ("", DECISION, "choose_outcome"),
        ("refund", DECISION, "choose_outcome"),
        ("cancel", "ok", "decision_length"),
        ("continue", "x" * 1001, "decision_length"),
    ],
)
async def test_decision_needs_an_outcome_and_words(
    dispute: Dispute, outcome: str, decision: str, code: str
) -> None:
    response = await decide(dispute, outcome, decision)
    assert response.status_code == 422
    assert decision_refusal(code) in response.text
    assert (await dispute.row)["status"] == CancellationStatus.DISPUTED
    assert (await dispute.deal.row())["status"] == OrderStatus.ASSIGNED
    assert await AuditEvent.select().where(AuditEvent.actor == dispute.admin_id) == []


async def test_parties_cannot_reach_the_admin_disputes(dispute: Dispute) -> None:
    current = dispute.deal
    url = await dispute.url()
    for client in (current.designer_client, current.tailor_client, current.outsider_client):
        assert (await client.get("/admin/disputes")).status_code == 403
        assert (await client.get(url)).status_code == 403
        refused = await post_form(
            client, f"{url}/decision", {"outcome": "cancel", "decision": DECISION}
        )
        assert refused.status_code == 403
    assert (await dispute.row)["status"] == CancellationStatus.DISPUTED


async def test_dispute_blocks_production_until_decided(dispute: Dispute) -> None:
    current = dispute.deal
    response = await post_form(
        current.tailor_client, f"{current.url}/stages", {"stage": "sewing"}, headers=HX
    )
    assert response.status_code == 409
    with i18n.using_locale("id"):
        assert str(escape(TrackingError("cancellation_open").message)) in response.text
    asked = await post_form(
        current.designer_client, f"{current.url}/cancellation", {"reason": "Batalkan saja."}
    )
    assert asked.status_code == 409


async def test_dashboard_counts_open_disputes(dispute: Dispute) -> None:
    dashboard = await dispute.admin_client.get("/admin")
    assert '<a href="/admin/disputes"><strong>1</strong>' in dashboard.text
    await decide(dispute, "continue")
    dashboard = await dispute.admin_client.get("/admin")
    assert '<a href="/admin/disputes"><strong>0</strong>' in dashboard.text


async def test_unknown_dispute_or_order_is_not_found(dispute: Dispute) -> None:
    missing = "/admin/disputes/00000000-0000-4000-8000-000000000000"
    assert (await dispute.admin_client.get(missing)).status_code == 404
    decided = await post_form(
        dispute.admin_client, f"{missing}/decision", {"outcome": "cancel", "decision": DECISION}
    )
    assert decided.status_code == 404
    asked = await post_form(
        dispute.admin_client,
        f"{dispute.deal.url}/cancellation",
        {"reason": "Admin tidak bisa meminta pembatalan."},
    )
    assert asked.status_code == 404
    assert len(await Cancellation.select().where(Cancellation.reason != REASON)) == 0
