"""Production after assignment: every legal stage move works for its party, every illegal one
is refused with a translated message and writes nothing."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.notifications.tables import Notification
from server.orders.assignment.services import accept_offer
from server.orders.offers import services
from server.orders.production import services as production
from server.orders.production.stages import Stage, stages_of
from server.orders.records import OrderRecord
from server.orders.refusals import TrackingError
from server.orders.tables import Offer, Order, OrderEvent, Payment
from tests.builders.orders import Deal, confirm_down_payment, deal, move_to, order, state_of
from tests.builders.people import signed_in_designer, signed_in_tailor
from tests.builders.places import today
from tests.helpers import HX, post_form, post_multipart, refusal_in_indonesian
from tests.images import jpeg_with_gps

DESIGNER_STAGES = (Stage.SAMPLE_APPROVED, Stage.COMPLETED)


async def post_stage(deal: Deal, client: Any, stage: str, **fields: str) -> Any:
    return await post_form(client, f"{deal.url}/stages", {"stage": stage, **fields}, headers=HX)


@pytest.mark.parametrize("sample_first", [False, True])
async def test_every_stage_is_posted_by_its_party_until_completed(
    app: Litestar, stack: AsyncExitStack, sample_first: bool
) -> None:
    order = await deal(stack, app, sample_first=sample_first)
    for stage in stages_of(sample_first)[1:]:
        if stage == Stage.SHIPPED:
            await confirm_down_payment(order.public_id)
        designer_moves = stage in DESIGNER_STAGES
        client = order.designer_client if designer_moves else order.tailor_client
        before = await Notification.count().where(
            Notification.account == (order.tailor_id if designer_moves else order.designer_id)
        )
        response = await post_stage(
            order, client, stage, note=f"Catatan {stage}", courier="JNE", tracking_number="JN1"
        )
        assert response.status_code == 200, (stage, response.text)
        row = await order.row()
        assert row["stage"] == stage
        after = await Notification.count().where(
            Notification.account == (order.tailor_id if designer_moves else order.designer_id)
        )
        assert after == before + 1, f"the other side hears of {stage}"
    row = await order.row()
    assert row["status"] == "completed" and row["completed_at"] is not None
    page = await order.designer_client.get(order.url)
    assert "Selesai pada" in page.text
    assert "Catatan sewing" in page.text
    assert "JN1" in page.text


async def test_a_plain_form_post_goes_back_to_the_order_page(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    response = await post_form(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": "materials_received"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == order.url


@pytest.mark.parametrize(
    ("start", "actor", "target", "code", "status"),
    [
        (Stage.CONFIRMED, "designer", "materials_received", "tailor_only", 403),
        (Stage.SHIPPED, "tailor", "completed", "designer_only", 403),
        (Stage.CONFIRMED, "tailor", "sewing", "wrong_stage", 409),
        (Stage.CUTTING, "tailor", "materials_received", "already_posted", 409),
        (Stage.CONFIRMED, "tailor", "sample_made", "no_sample", 422),
        (Stage.CONFIRMED, "tailor", "packed", "unknown_stage", 422),
        (Stage.COMPLETED, "designer", "completed", "not_in_production", 409),
    ],
)
async def test_illegal_moves_are_refused_and_write_nothing(
    app: Litestar,
    stack: AsyncExitStack,
    start: Stage,
    actor: str,
    target: str,
    code: str,
    status: int,
) -> None:
    order = await deal(stack, app)
    await move_to(order, start)
    before = await state_of(order)
    client = order.designer_client if actor == "designer" else order.tailor_client
    response = await post_stage(order, client, target, courier="JNE", tracking_number="1")
    assert response.status_code == status
    assert refusal_in_indonesian(TrackingError, code) in response.text
    assert await state_of(order) == before


async def test_the_sample_cannot_be_skipped(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app, sample_first=True)
    before = await state_of(order)
    response = await post_stage(order, order.tailor_client, "materials_received")
    assert response.status_code == 409
    assert refusal_in_indonesian(TrackingError, "sample_first") in response.text
    assert await state_of(order) == before


async def test_shipping_before_the_down_payment_is_confirmed_is_refused(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.FINISHING)
    before = await state_of(order)
    response = await post_stage(
        order, order.tailor_client, "shipped", courier="JNE", tracking_number="JN1"
    )
    assert response.status_code == 409
    assert refusal_in_indonesian(TrackingError, "down_payment_first") in response.text
    assert await state_of(order) == before


async def test_shipping_needs_a_courier_and_tracking_number(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.FINISHING)
    await confirm_down_payment(order.public_id)
    before = await state_of(order)
    response = await post_stage(order, order.tailor_client, "shipped", courier="JNE")
    assert response.status_code == 422
    assert refusal_in_indonesian(TrackingError, "shipping_required") in response.text
    assert await state_of(order) == before


async def test_a_rejected_sample_goes_back_with_its_reason(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app, sample_first=True)
    await move_to(order, Stage.SAMPLE_MADE)
    before = await state_of(order)
    short = await post_form(
        order.designer_client, f"{order.url}/sample/reject", {"reason": "no"}, headers=HX
    )
    assert short.status_code == 422
    assert refusal_in_indonesian(TrackingError, "reason_required") in short.text
    assert await state_of(order) == before
    by_tailor = await post_form(
        order.tailor_client,
        f"{order.url}/sample/reject",
        {"reason": "Kerah terlalu lebar"},
        headers=HX,
    )
    assert by_tailor.status_code == 403
    assert await state_of(order) == before

    rejected = await post_form(
        order.designer_client,
        f"{order.url}/sample/reject",
        {"reason": "Kerah terlalu lebar"},
        headers=HX,
    )
    assert rejected.status_code == 200
    assert "Kerah terlalu lebar" in rejected.text
    assert (await order.row())["stage"] == "sample_rejected"
    tailor_page = await order.tailor_client.get(order.url)
    assert "Kerah terlalu lebar" in tailor_page.text
    assert 'value="sample_made"' in tailor_page.text, "the tailor is asked for a new sample"
    again = await post_stage(order, order.tailor_client, "sample_made", note="Sampel kedua")
    assert again.status_code == 200
    approved = await post_stage(order, order.designer_client, "sample_approved")
    assert approved.status_code == 200
    assert (await order.row())["stage"] == "sample_approved"


async def test_stage_photos_are_re_encoded_thumbnails(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    response = await post_multipart(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": "materials_received", "note": "Kain sudah datang"},
        {"photo": ("kain.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 303
    page = await order.designer_client.get(order.url)
    assert "/small.webp" in page.text
    assert 'loading="lazy"' in page.text
    event = await OrderEvent.select(OrderEvent.photo).where(OrderEvent.photo.is_not_null()).first()
    assert event is not None


async def test_a_bad_stage_photo_is_refused_and_nothing_is_written(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    before = await state_of(order)
    response = await post_multipart(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": "materials_received"},
        {"photo": ("kain.jpg", b"not a photo at all", "image/jpeg")},
    )
    assert response.status_code == 422
    assert refusal_in_indonesian(TrackingError, "not_an_image") in response.text
    assert await state_of(order) == before


async def test_data_saver_hides_photos_until_tapped(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    await post_multipart(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": "materials_received"},
        {"photo": ("kain.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    switched = await post_form(
        order.designer_client, "/data-saver", {"on": "1", "next": order.url}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == order.url
    page = await order.designer_client.get(order.url)
    assert "<img" not in page.text.split('class="production"')[1].split("</section>")[0]
    assert "Tampilkan foto" in page.text
    await post_form(order.designer_client, "/data-saver", {"on": "0", "next": order.url})
    page = await order.designer_client.get(order.url)
    assert "/small.webp" in page.text


async def test_data_saver_never_redirects_off_site(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    response = await post_form(
        order.designer_client,
        "/data-saver",
        {"on": "1", "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


async def test_a_late_stage_is_marked(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    row = await order.row()
    await Order.update(
        {
            Order.assigned_at: row["assigned_at"].replace(year=row["assigned_at"].year - 1),
            Order.revision: Order.revision + 1,
        }
    ).where(Order.id == row["id"])
    page = await order.designer_client.get(order.url)
    assert "Terlambat" in page.text


async def test_an_accepted_offer_starts_production_at_its_price_and_date(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        designer_client = await stack.enter_async_context(AsyncTestClient(app=app))
        designer_id = (await signed_in_designer(designer_client))["id"]
        tailor_client = await stack.enter_async_context(AsyncTestClient(app=app))
        tailor_id = (
            await signed_in_tailor(tailor_client, "Siti", "0812-1000-0001", onboarded=True)
        )["id"]
        public_id = await order(designer_id)
        ready_by = today() + timedelta(days=9)
        await services.make_offer(
            tailor_id, public_id, services.OfferForm(44_000, ready_by, "Siap")
        )
        offer = await Offer.select(Offer.public_id).first()
        await accept_offer(designer_id, offer["public_id"])
    row = await Order.select().where(Order.public_id == public_id).first()
    assert (row["stage"], row["agreed_ready_by"]) == ("confirmed", ready_by)
    payments = await Payment.select(Payment.kind, Payment.amount, Payment.status).order_by(
        Payment.id
    )
    total = 44_000 * row["quantity"]
    assert payments == [
        {"kind": "dp", "amount": total // 2, "status": "due"},
        {"kind": "final", "amount": total - total // 2, "status": "due"},
    ]


async def test_a_stage_read_before_a_cancellation_request_cannot_slip_past_it(
    app: Litestar, stack: AsyncExitStack
) -> None:
    """The tailor's page was read, then the designer asked to cancel: the stale move fails."""
    order = await deal(stack, app)
    stale = await order.row()
    asked = await post_form(
        order.designer_client,
        f"{order.url}/cancellation",
        {"reason": "Kain tidak jadi datang"},
        headers=HX,
    )
    assert asked.status_code == 200
    with pytest.raises(TrackingError) as refused:
        await production.move_from(OrderRecord.from_row(stale), Stage.MATERIALS_RECEIVED)
    assert refused.value.code == "moved_meanwhile"
    assert (await order.row())["stage"] == "confirmed"
