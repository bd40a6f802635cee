"""Asking to cancel an order in production: ask, withdraw, accept; refusals write nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from markupsafe import escape

from server import jobs as scheduler
from server.notifications.tables import Notification
from server.orders.dispatching.waves import DispatchSettings
from server.orders.production.stages import Stage
from server.orders.refusals import TrackingError
from server.orders.tables import Cancellation, CancellationStatus, OrderStatus, Payment
from server.web import i18n
from tests.builders.orders import Deal, deal, move_to
from tests.helpers import HX, indonesian, post_form

REASON = "Kain dari pemasok tidak datang, saya tidak bisa menyelesaikan order ini."


@pytest.fixture
async def order_deal(app: Litestar) -> AsyncIterator[Deal]:
    async with AsyncExitStack() as stack:
        current = await deal(stack, app)
        await move_to(current, Stage.CUTTING)
        yield current


def refusal(code: str) -> str:
    with i18n.using_locale("id"):
        return str(escape(TrackingError(code).message))


def stage_form(current: Deal) -> str:
    return f'action="/orders/{current.public_id}/stages"'


async def requests_of(current: Deal) -> list[dict[str, Any]]:
    row = await current.row()
    rows: list[dict[str, Any]] = await Cancellation.select().where(Cancellation.order == row["id"])
    return rows


async def alerts_of(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Notification.select().where(
        Notification.account == account_id
    )
    return rows


async def ask(current: Deal, client: Any, reason: str = REASON, **kwargs: Any) -> Any:
    return await post_form(client, f"{current.url}/cancellation", {"reason": reason}, **kwargs)


async def test_accept_cancels_the_order_for_both_sides(order_deal: Deal) -> None:
    current = order_deal
    before = await current.row()
    payments = await Payment.select().where(Payment.order == before["id"]).order_by(Payment.id)
    assert stage_form(current) in (await current.tailor_client.get(current.url)).text

    asked = await ask(current, current.tailor_client, headers=HX)
    assert asked.status_code == 200
    assert indonesian("Cancellation requested") in asked.text
    assert indonesian("Withdraw my request") in asked.text
    assert stage_form(current) not in asked.text
    designer_alerts = await alerts_of(current.designer_id)
    assert [alert["tag"] for alert in designer_alerts][-1] == f"order-{current.public_id}"

    designer_page = (await current.designer_client.get(current.url)).text
    assert REASON in designer_page
    assert indonesian("Accept: cancel the order") in designer_page

    accepted = await post_form(
        current.designer_client, f"{current.url}/cancellation/accept", {}, headers=HX
    )
    assert accepted.status_code == 200
    row = await current.row()
    assert row["status"] == OrderStatus.CANCELLED
    assert row["cancel_reason"] == REASON
    assert row["next_wave_at"] == before["next_wave_at"]
    assert await Payment.select().where(Payment.order == row["id"]).order_by(Payment.id) == (
        payments
    )
    assert [request["status"] for request in await requests_of(current)] == ["accepted"]
    tailor_alerts = await alerts_of(current.tailor_id)
    assert any(alert["tag"] == f"order-{current.public_id}" for alert in tailor_alerts)
    for client in (current.designer_client, current.tailor_client):
        page = await client.get(current.url)
        assert page.status_code == 200
        assert indonesian("Cancelled by agreement") in page.text
        assert REASON in page.text
        assert stage_form(current) not in page.text
        assert indonesian("Ask to cancel this order") not in page.text


async def test_withdraw_lets_production_go_on_when_the_requester_takes_it_back(
    order_deal: Deal,
) -> None:
    current = order_deal
    asked = await ask(current, current.designer_client, follow_redirects=False)
    assert asked.status_code == 303
    tailor_page = (await current.tailor_client.get(current.url)).text
    assert REASON in tailor_page
    assert stage_form(current) not in tailor_page
    assert indonesian("Withdraw my request") not in tailor_page

    withdrawn = await post_form(
        current.designer_client,
        f"{current.url}/cancellation/withdraw",
        {},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    assert withdrawn.headers["location"] == current.url
    assert [request["status"] for request in await requests_of(current)] == ["withdrawn"]
    tailor_page = (await current.tailor_client.get(current.url)).text
    assert stage_form(current) in tailor_page
    assert REASON not in tailor_page
    posted = await post_form(
        current.tailor_client, f"{current.url}/stages", {"stage": "sewing"}, headers=HX
    )
    assert posted.status_code == 200
    assert (await current.row())["stage"] == Stage.SEWING


async def test_requester_cannot_accept_or_refuse_their_own_request(order_deal: Deal) -> None:
    current = order_deal
    await ask(current, current.tailor_client)
    revision = (await current.row())["revision"]
    for action in ("accept", "refuse"):
        response = await post_form(
            current.tailor_client, f"{current.url}/cancellation/{action}", {}, headers=HX
        )
        assert response.status_code == 403
        assert refusal("own_request") in response.text
    row = await current.row()
    assert (row["status"], row["revision"]) == (OrderStatus.ASSIGNED, revision)
    assert [request["status"] for request in await requests_of(current)] == ["pending"]


async def test_other_party_cannot_withdraw_the_request(order_deal: Deal) -> None:
    current = order_deal
    await ask(current, current.tailor_client)
    response = await post_form(current.designer_client, f"{current.url}/cancellation/withdraw", {})
    assert response.status_code == 403
    assert refusal("not_your_request") in response.text
    assert [request["status"] for request in await requests_of(current)] == ["pending"]


async def test_request_is_refused_after_shipping(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        current = await deal(stack, app)
        await move_to(current, Stage.SHIPPED)
        revision = (await current.row())["revision"]
        for client in (current.designer_client, current.tailor_client):
            response = await ask(current, client, headers=HX)
            assert response.status_code == 409
            assert refusal("too_late_to_cancel") in response.text
            assert indonesian("Ask to cancel this order") not in response.text
        assert await requests_of(current) == []
        assert (await current.row())["revision"] == revision


async def test_outsider_tailor_gets_not_found(order_deal: Deal) -> None:
    current = order_deal
    refused = await ask(current, current.outsider_client)
    assert refused.status_code == 404
    assert await requests_of(current) == []
    await ask(current, current.tailor_client)
    for action in ("accept", "refuse", "withdraw"):
        response = await post_form(
            current.outsider_client, f"{current.url}/cancellation/{action}", {}, headers=HX
        )
        assert response.status_code == 404
    assert [request["status"] for request in await requests_of(current)] == ["pending"]


@pytest.mark.parametrize("reason", ["", "  abc ", "x" * 501])
async def test_request_needs_a_reason_of_5_to_500_characters(order_deal: Deal, reason: str) -> None:
    current = order_deal
    revision = (await current.row())["revision"]
    alerts = len(await alerts_of(current.designer_id))
    for headers in (HX, {}):
        response = await ask(current, current.tailor_client, reason, headers=headers)
        assert response.status_code == 422
        assert refusal("cancel_reason_length") in response.text
    assert await requests_of(current) == []
    assert (await current.row())["revision"] == revision
    assert len(await alerts_of(current.designer_id)) == alerts


async def test_one_request_at_a_time(order_deal: Deal) -> None:
    current = order_deal
    await ask(current, current.tailor_client)
    response = await ask(current, current.designer_client, "Saya juga ingin membatalkan.")
    assert response.status_code == 409
    assert refusal("cancellation_exists") in response.text
    assert len(await requests_of(current)) == 1


async def test_stage_posting_waits_while_a_request_is_pending(order_deal: Deal) -> None:
    current = order_deal
    await ask(current, current.designer_client)
    response = await post_form(
        current.tailor_client, f"{current.url}/stages", {"stage": "sewing"}, headers=HX
    )
    assert response.status_code == 409
    assert refusal("cancellation_open") in response.text
    assert (await current.row())["stage"] == Stage.CUTTING


async def test_refusal_keeps_production_waiting_for_the_admin(order_deal: Deal) -> None:
    current = order_deal
    await ask(current, current.tailor_client)
    refused = await post_form(
        current.designer_client,
        f"{current.url}/cancellation/refuse",
        {"note": "Bahan sudah saya kirim, tolong lanjutkan."},
        headers=HX,
    )
    assert refused.status_code == 200
    assert indonesian("Dispute: an admin decides") in refused.text
    [request] = await requests_of(current)
    assert request["status"] == CancellationStatus.DISPUTED
    assert request["refusal"] == "Bahan sudah saya kirim, tolong lanjutkan."
    assert (await current.row())["status"] == OrderStatus.ASSIGNED
    tailor_page = (await current.tailor_client.get(current.url)).text
    assert "Bahan sudah saya kirim, tolong lanjutkan." in tailor_page
    assert stage_form(current) not in tailor_page
    assert indonesian("Withdraw my request") not in tailor_page
    withdraw = await post_form(current.tailor_client, f"{current.url}/cancellation/withdraw", {})
    assert withdraw.status_code == 409
    assert refusal("dispute_open") in withdraw.text


async def test_an_unanswered_request_goes_to_an_admin_after_three_days(
    order_deal: Deal, app: Litestar
) -> None:
    current = order_deal
    assert (await ask(current, current.tailor_client)).status_code == 200
    (request,) = await requests_of(current)
    settings = DispatchSettings(wave_size=50, wave_interval=timedelta(minutes=10))

    two_days = await scheduler.tick(settings, request["created_at"] + timedelta(days=2))
    assert two_days.disputed_orders == []
    assert (await requests_of(current))[0]["status"] == CancellationStatus.PENDING

    later = await scheduler.tick(settings, request["created_at"] + timedelta(days=3, minutes=1))
    assert later.disputed_orders == [(await current.row())["id"]]
    assert (await requests_of(current))[0]["status"] == CancellationStatus.DISPUTED
    for party in (current.designer_id, current.tailor_id):
        titles = [alert["title"] for alert in await alerts_of(party)]
        assert any(title.startswith("Pembatalan diteruskan ke admin") for title in titles)
    tailor_page = await current.tailor_client.get(current.url)
    assert stage_form(current) not in tailor_page.text, "production still waits for the admin"
