"""The payments record: the designer marks the down payment and the final payment paid, the
tailor confirms they arrived; shipping waits for the confirmed down payment."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.media.tables import Photo
from server.notifications.tables import Notification
from server.orders.production.stages import Stage
from server.orders.refusals import TrackingError
from server.orders.tables import Payment
from tests.builders.orders import Deal, deal, move_to, state_of
from tests.builders.people import signed_in_admin
from tests.helpers import HX, post_form, post_multipart, refusal_in_indonesian
from tests.images import jpeg_with_gps

TOTAL = 50 * 45_000  # the builder's order: 50 pcs at Rp45.000


async def payments(order: Deal) -> dict[str, dict[str, Any]]:
    row = await order.row()
    rows = await Payment.select().where(Payment.order == row["id"])
    return {payment["kind"]: payment for payment in rows}


async def alerts_to(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Notification.select()
        .where((Notification.account == account_id) & (Notification.kind == "order_update"))
        .order_by(Notification.id)
    )
    return rows


async def mark(order: Deal, client: Any, kind: str = "dp", **kwargs: Any) -> Any:
    return await post_form(client, f"{order.url}/payments/{kind}/paid", {}, headers=HX, **kwargs)


async def confirm(order: Deal, client: Any, kind: str = "dp") -> Any:
    return await post_form(client, f"{order.url}/payments/{kind}/received", {}, headers=HX)


async def test_new_order_has_half_down_and_half_final_due(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    rows = await payments(order)
    assert (rows["dp"]["amount"], rows["final"]["amount"]) == (TOTAL // 2, TOTAL // 2)
    assert {row["status"] for row in rows.values()} == {"due"}
    page = (await order.tailor_client.get(order.url)).text
    assert "Pembayaran" in page
    assert "DP: 50% dari total Rp2.250.000" in page
    assert "Rp1.125.000" in page
    assert "Saya sudah transfer DP" not in page  # the tailor only confirms
    designer_page = (await order.designer_client.get(order.url)).text
    assert "Saya sudah transfer DP" in designer_page
    assert "Pelunasan bisa ditandai setelah order dikirim." in designer_page


async def test_designer_marks_down_payment_and_tailor_confirms_it(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    revision = (await order.row())["revision"]

    response = await mark(order, order.designer_client)

    assert response.status_code == 200
    assert "Ditandai sudah dibayar" in response.text
    assert (await payments(order))["dp"]["status"] == "paid"
    assert (await order.row())["revision"] > revision
    [alert] = await alerts_to(order.tailor_id)
    assert alert["tag"] == f"order-{order.public_id}"
    assert alert["url"] == order.url
    assert "Desainer menandai DP sebesar Rp1.125.000 sudah dibayar" in alert["body"]
    tailor_page = (await order.tailor_client.get(order.url)).text
    assert "DP sudah masuk" in tailor_page

    response = await confirm(order, order.tailor_client)

    assert response.status_code == 200
    assert "Penjahit mengonfirmasi uangnya masuk pada" in response.text
    rows = await payments(order)
    assert rows["dp"]["status"] == "confirmed" and rows["dp"]["confirmed_at"] is not None
    assert rows["final"]["status"] == "due"
    [alert] = await alerts_to(order.designer_id)
    assert "Penjahit mengonfirmasi DP sebesar Rp1.125.000 sudah masuk." in alert["body"]
    designer_page = (await order.designer_client.get(order.url)).text
    assert "Diterima" in designer_page


async def test_plain_forms_go_back_to_the_order_page(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    marked = await post_form(
        order.designer_client, f"{order.url}/payments/dp/paid", {}, follow_redirects=False
    )
    assert (marked.status_code, marked.headers["location"]) == (303, order.url)
    confirmed = await post_form(
        order.tailor_client, f"{order.url}/payments/dp/received", {}, follow_redirects=False
    )
    assert (confirmed.status_code, confirmed.headers["location"]) == (303, order.url)
    assert (await payments(order))["dp"]["status"] == "confirmed"


async def test_double_taps_change_a_payment_once(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    assert (await mark(order, order.designer_client)).status_code == 200
    before = await state_of(order)

    again = await mark(order, order.designer_client)

    assert again.status_code == 409
    assert refusal_in_indonesian(TrackingError, "payment_already_marked") in again.text
    assert await state_of(order) == before
    assert (await confirm(order, order.tailor_client)).status_code == 200
    before = await state_of(order)

    again = await confirm(order, order.tailor_client)

    assert again.status_code == 409
    assert refusal_in_indonesian(TrackingError, "payment_already_confirmed") in again.text
    assert await state_of(order) == before
    assert len(await alerts_to(order.tailor_id)) == 1
    assert len(await alerts_to(order.designer_id)) == 1


async def test_transfer_proof_is_seen_by_the_parties_and_admins_only(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    response = await mark(
        order,
        order.designer_client,
        files={"proof": ("bukti.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 200
    proof = await Photo.select().where(Photo.kind == "payment_proof").first()
    assert (await payments(order))["dp"]["proof"] == proof["id"]
    image = f"/media/{proof['public_id']}/small.webp"
    assert image in response.text
    assert image in (await order.tailor_client.get(order.url)).text
    admin = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(admin)
    visitor = await stack.enter_async_context(AsyncTestClient(app=app))

    for client in (order.designer_client, order.tailor_client, admin):
        assert (await client.get(image)).status_code == 200
    for client in (order.outsider_client, visitor):
        assert (await client.get(image)).status_code == 404
        assert (await client.get(f"/media/{proof['public_id']}/large.webp")).status_code == 404


async def test_a_refused_proof_photo_marks_nothing(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    before = await state_of(order)
    response = await post_multipart(
        order.designer_client,
        f"{order.url}/payments/dp/paid",
        {},
        {"proof": ("bukti.jpg", b"not an image at all", "image/jpeg")},
        headers=HX,
    )
    assert response.status_code == 422
    assert await state_of(order) == before


async def test_designer_changes_the_down_payment_share_while_nothing_is_paid(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)

    response = await post_form(
        order.designer_client, f"{order.url}/payments/percent", {"percent": "30"}, headers=HX
    )

    assert response.status_code == 200
    rows = await payments(order)
    assert rows["dp"]["amount"] == 675_000
    assert rows["dp"]["amount"] + rows["final"]["amount"] == TOTAL
    tailor_page = (await order.tailor_client.get(order.url)).text
    assert "DP: 30% dari total Rp2.250.000" in tailor_page
    assert "Rp675.000" in tailor_page and "Rp1.575.000" in tailor_page
    assert 'name="percent"' not in tailor_page
    [alert] = await alerts_to(order.tailor_id)
    assert "Desainer mengubah DP menjadi 30% dari total: Rp675.000." in alert["body"]
    before = await state_of(order)
    same = await post_form(
        order.designer_client, f"{order.url}/payments/percent", {"percent": "30"}, headers=HX
    )
    assert same.status_code == 200
    assert await state_of(order) == before  # the same share again: no new alert


@pytest.mark.parametrize("percent", ["9", "101", "0", "12.5", "abc", ""])
async def test_down_payment_share_must_be_a_whole_percent_from_10_to_100(
    app: Litestar, stack: AsyncExitStack, percent: str
) -> None:
    order = await deal(stack, app)
    before = await state_of(order)
    response = await post_form(
        order.designer_client, f"{order.url}/payments/percent", {"percent": percent}, headers=HX
    )
    assert response.status_code == 422
    assert refusal_in_indonesian(TrackingError, "percent_invalid") in response.text
    assert await state_of(order) == before


async def test_down_payment_share_is_fixed_once_a_payment_is_marked(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    await mark(order, order.designer_client)
    before = await state_of(order)

    response = await post_form(
        order.designer_client, f"{order.url}/payments/percent", {"percent": "20"}, headers=HX
    )

    assert response.status_code == 409
    assert refusal_in_indonesian(TrackingError, "payments_started") in response.text
    assert await state_of(order) == before
    assert 'name="percent"' not in (await order.designer_client.get(order.url)).text


async def test_each_side_does_only_its_own_part(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    before = await state_of(order)

    by_tailor = await mark(order, order.tailor_client)
    share_by_tailor = await post_form(
        order.tailor_client, f"{order.url}/payments/percent", {"percent": "20"}, headers=HX
    )
    unmarked = await confirm(order, order.tailor_client)
    final_too_early = await mark(order, order.designer_client, "final")

    assert by_tailor.status_code == 403
    assert refusal_in_indonesian(TrackingError, "payment_designer_only") in by_tailor.text
    assert share_by_tailor.status_code == 403
    assert unmarked.status_code == 409
    assert refusal_in_indonesian(TrackingError, "payment_not_marked") in unmarked.text
    assert final_too_early.status_code == 409
    assert refusal_in_indonesian(TrackingError, "final_after_shipping") in final_too_early.text
    assert await state_of(order) == before
    await mark(order, order.designer_client)
    before = await state_of(order)
    by_designer = await confirm(order, order.designer_client)
    assert by_designer.status_code == 403
    assert refusal_in_indonesian(TrackingError, "payment_tailor_only") in by_designer.text
    assert await state_of(order) == before


async def test_outsiders_and_unknown_payments_get_404(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    before = await state_of(order)
    outsider = order.outsider_client
    assert (await mark(order, outsider)).status_code == 404
    assert (await confirm(order, outsider)).status_code == 404
    share = await post_form(outsider, f"{order.url}/payments/percent", {"percent": "20"})
    assert share.status_code == 404
    assert (await mark(order, order.designer_client, "tip")).status_code == 404
    assert await state_of(order) == before


async def test_shipping_waits_for_the_confirmed_down_payment(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.FINISHING)
    ship = {"stage": "shipped", "courier": "JNE", "tracking_number": "JNE123"}
    page = (await order.tailor_client.get(order.url)).text
    assert "Pengiriman menunggu DP" in page

    refused = await post_form(order.tailor_client, f"{order.url}/stages", ship, headers=HX)
    assert refused.status_code == 409
    assert refusal_in_indonesian(TrackingError, "down_payment_first") in refused.text
    await mark(order, order.designer_client)
    still_refused = await post_form(order.tailor_client, f"{order.url}/stages", ship, headers=HX)
    assert still_refused.status_code == 409  # marked paid is not enough: it must have arrived
    assert (await order.row())["stage"] == Stage.FINISHING
    await confirm(order, order.tailor_client)

    shipped = await post_form(order.tailor_client, f"{order.url}/stages", ship, headers=HX)

    assert shipped.status_code == 200
    assert (await order.row())["stage"] == Stage.SHIPPED


async def test_final_payment_is_marked_once_shipped(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.SHIPPED)
    designer_page = (await order.designer_client.get(order.url)).text
    assert "Saya sudah transfer pelunasan" in designer_page

    assert (await mark(order, order.designer_client, "final")).status_code == 200
    await move_to(order, Stage.COMPLETED)  # receipt first: the money may follow later
    assert (await confirm(order, order.tailor_client, "final")).status_code == 200

    rows = await payments(order)
    assert rows["final"]["status"] == "confirmed"
    last = (await alerts_to(order.designer_id))[-1]
    assert "Penjahit mengonfirmasi pelunasan sebesar Rp1.125.000 sudah masuk." in last["body"]
