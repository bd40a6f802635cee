"""Ratings after completion: each side rates the other once within 14 days; the averages show
on the tailor's profile, in the feed and on the order, and dispatch ranks by them."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar

from server.accounts.tables import Account
from server.notifications.tables import Notification
from server.orders.assignment.services import take
from server.orders.production.stages import Stage
from server.orders.refusals import TrackingError
from server.orders.tables import DispatchDecision, Order, Review
from tests.builders.orders import Deal, deal, move_to, state_of
from tests.builders.orders import order as published_order
from tests.helpers import HX, post_form, refusal_in_indonesian


@pytest.fixture
async def completed(app: Litestar, stack: AsyncExitStack) -> Deal:
    order = await deal(stack, app)
    await move_to(order, Stage.COMPLETED)
    return order


async def rate(order: Deal, client: Any, stars: str, comment: str = "", **kwargs: Any) -> Any:
    fields = {"stars": stars, "comment": comment}
    return await post_form(client, f"{order.url}/reviews", fields, headers=HX, **kwargs)


async def tailor_public_id(account_id: int) -> str:
    row = await Account.select(Account.public_id).where(Account.id == account_id).first()
    return str(row["public_id"])


async def test_both_sides_rate_each_other_and_read_it_once_both_have(
    completed: Deal,
) -> None:
    order = completed
    form = (await order.designer_client.get(order.url)).text
    assert "Nilai penjahit" in form
    assert 'type="radio" name="stars" value="5" required' in form

    by_designer = await rate(order, order.designer_client, "5", "Jahitan rapi, tepat waktu.")

    assert by_designer.status_code == 200
    assert "Penilaian Anda" in by_designer.text
    assert "Jahitan rapi, tepat waktu." in by_designer.text
    alert = (
        await Notification.select()
        .where(Notification.account == order.tailor_id)
        .order_by(Notification.id, ascending=False)
        .first()
    )
    assert alert["kind"] == "order_update" and alert["tag"] == f"order-{order.public_id}"
    assert "Desainer sudah menilai Anda" in alert["body"]
    tailor_page = (await order.tailor_client.get(order.url)).text
    assert "Desainer sudah menilai Anda: beri penilaian juga untuk membacanya." in tailor_page
    assert "Jahitan rapi" not in tailor_page  # not before the tailor has rated too

    by_tailor = await rate(order, order.tailor_client, "4", "Pembayaran lancar.")

    assert by_tailor.status_code == 200
    assert "Jahitan rapi, tepat waktu." in by_tailor.text
    assert "Pembayaran lancar." in by_tailor.text
    designer_page = (await order.designer_client.get(order.url)).text
    assert "Pembayaran lancar." in designer_page
    assert "Nilai penjahit" not in designer_page  # once only
    alert = (
        await Notification.select()
        .where(Notification.account == order.designer_id)
        .order_by(Notification.id, ascending=False)
        .first()
    )
    assert "Anda mendapat 4 dari 5 bintang." in alert["body"]


async def test_ratings_show_on_the_profile_the_feed_and_the_order(completed: Deal) -> None:
    order = completed
    await rate(order, order.designer_client, "5")
    await rate(order, order.tailor_client, "4")

    profile = await order.designer_client.get(f"/tailors/{await tailor_public_id(order.tailor_id)}")
    assert "★5 (1)" in profile.text
    tailor_page = (await order.tailor_client.get(order.url)).text
    assert 'Batik Kirana · <span title="Penilaian dari penjahit">★4 (1)</span>' in tailor_page
    await published_order(order.designer_id, title="Seragam batik kantor")
    feed = (await order.tailor_client.get("/jobs")).text
    assert "Seragam batik kantor" in feed
    assert 'Batik Kirana <span title="Penilaian dari penjahit">★4 (1)</span>' in feed


async def test_rating_twice_is_refused(completed: Deal) -> None:
    order = completed
    await rate(order, order.designer_client, "5")
    before = await state_of(order)

    again = await rate(order, order.designer_client, "1", "Berubah pikiran")

    assert again.status_code == 409
    assert refusal_in_indonesian(TrackingError, "already_reviewed") in again.text
    assert await state_of(order) == before
    review = await Review.select().where(Review.author == order.designer_id).first()
    assert review["stars"] == 5


async def test_rating_before_completion_is_refused(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    await move_to(order, Stage.SHIPPED)
    before = await state_of(order)

    response = await rate(order, order.designer_client, "5")

    assert response.status_code == 409
    assert refusal_in_indonesian(TrackingError, "not_completed") in response.text
    assert await state_of(order) == before
    assert 'name="stars"' not in (await order.designer_client.get(order.url)).text


async def test_rating_after_fourteen_days_is_refused(completed: Deal) -> None:
    order = completed
    long_ago = datetime.now(UTC) - timedelta(days=14, minutes=1)
    await Order.update({Order.completed_at: long_ago}).where(Order.public_id == order.public_id)
    before = await state_of(order)

    response = await rate(order, order.tailor_client, "5")

    assert response.status_code == 409
    assert refusal_in_indonesian(TrackingError, "reviews_closed") in response.text
    assert await state_of(order) == before
    page = (await order.tailor_client.get(order.url)).text
    assert 'name="stars"' not in page
    assert "Penilaian ditutup pada" in page


async def test_a_rating_given_within_the_days_is_readable_after_they_close(
    completed: Deal,
) -> None:
    order = completed
    await rate(order, order.designer_client, "3", "Ada sedikit cacat jahitan.")
    long_ago = datetime.now(UTC) - timedelta(days=15)
    await Order.update({Order.completed_at: long_ago}).where(Order.public_id == order.public_id)
    assert "Ada sedikit cacat jahitan." in (await order.tailor_client.get(order.url)).text


@pytest.mark.parametrize(
    ("stars", "comment", "code"),
    [
        ("0", "", "stars_invalid"),
        ("6", "", "stars_invalid"),
        ("", "", "stars_invalid"),
        ("lima", "", "stars_invalid"),
        ("4.5", "", "stars_invalid"),
        ("4", "x" * 501, "comment_too_long"),
    ],
)
async def test_bad_ratings_are_refused(
    completed: Deal, stars: str, comment: str, code: str
) -> None:
    order = completed
    before = await state_of(order)
    response = await rate(order, order.designer_client, stars, comment)
    assert response.status_code == 422
    assert refusal_in_indonesian(TrackingError, code) in response.text
    assert await state_of(order) == before


async def test_outsiders_cannot_rate(completed: Deal) -> None:
    order = completed
    before = await state_of(order)
    response = await rate(order, order.outsider_client, "1", "Tidak kenal")
    assert response.status_code == 404
    plain = await post_form(
        order.outsider_client, f"{order.url}/reviews", {"stars": "1"}, follow_redirects=False
    )
    assert plain.status_code == 404
    assert await state_of(order) == before


async def test_plain_rating_form_goes_back_to_the_order(completed: Deal) -> None:
    order = completed
    response = await post_form(
        order.tailor_client, f"{order.url}/reviews", {"stars": "5"}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, order.url)


async def test_dispatch_ranks_the_better_rated_of_two_equal_tailors_first(
    completed: Deal,
) -> None:
    """Siti (in the deal) and Rina sit at the same spot with the same skills; Siti was signed up
    first, so on a tie she would come first. After ratings Rina does."""
    first = completed
    rina = await Account.select(Account.id).where(Account.name == "Rina Lestari").first()
    second_id = await published_order(first.designer_id, mode="direct", title="Kemeja kedua")
    await take(rina["id"], second_id)
    second = Deal(
        first.designer_client,
        first.outsider_client,
        first.tailor_client,
        first.designer_id,
        rina["id"],
        second_id,
    )
    await move_to(second, Stage.COMPLETED)
    assert (await rate(first, first.designer_client, "2")).status_code == 200
    assert (await rate(second, second.designer_client, "5")).status_code == 200

    third = await published_order(first.designer_id, title="Kemeja ketiga")

    row = await Order.select(Order.id).where(Order.public_id == third).first()
    ranked = await (
        DispatchDecision.select(DispatchDecision.tailor)
        .where((DispatchDecision.order == row["id"]) & (DispatchDecision.outcome == "alerted"))
        .order_by(DispatchDecision.id)
    )
    assert [decision["tailor"] for decision in ranked] == [rina["id"], first.tailor_id]
