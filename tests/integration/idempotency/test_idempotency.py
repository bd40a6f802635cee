"""One-shot actions done once: the key a form was rendered with makes a replay answer as the
first request did and change nothing; the same key with other content is refused; old keys are
forgotten by housekeeping."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from markupsafe import escape

from server.accounts.tables import Role
from server.idempotency.forms import KEY_FIELD, KEY_HEADER
from server.idempotency.refusals import KeyRefused
from server.idempotency.services import Claim, Outcome, mint_key, once, request_hash
from server.idempotency.tables import IdempotencyKey
from server.jobs import tick
from server.media import services
from server.media.images import ProcessedImage, process_image
from server.notifications.tables import Notification
from server.orders.dispatching.waves import DispatchSettings
from server.orders.production.stages import Stage
from server.orders.tables import Message, Order, OrderEvent, Payment
from server.web import i18n
from tests.builders.orders import Deal, client_for, deal, post_order
from tests.builders.people import account, signed_in
from tests.helpers import HX, post_form, post_multipart
from tests.images import jpeg_with_gps

KEY_INPUT = re.compile(rf'name="{KEY_FIELD}" value="([A-Za-z0-9_-]+)"')


def refusal() -> str:
    with i18n.using_locale("id"):
        return str(escape(KeyRefused("form_reused").message))


class Counted:
    """An action that counts its runs and answers with a redirect."""

    def __init__(self) -> None:
        self.runs = 0

    async def __call__(self) -> Outcome:
        self.runs += 1
        return Outcome(status=303, location=f"/orders/{self.runs}")


async def claim(key: str) -> Claim:
    """A new person's claim on `key` for one request."""
    owner = await account(Role.DESIGNER, "Rina")
    return Claim(owner, key, "POST /x", request_hash([("note", "halo")]))


async def test_the_same_key_gives_the_first_outcome_and_runs_nothing_again(
    clean_database: str,
) -> None:
    first = await claim(mint_key())
    action = Counted()

    assert await once(first, action) == (Outcome(303, "/orders/1"), False)
    assert await once(first, action) == (Outcome(303, "/orders/1"), True)
    assert action.runs == 1
    assert await IdempotencyKey.count() == 1


async def test_the_same_key_with_another_request_is_refused(clean_database: str) -> None:
    first = await claim(mint_key())
    await once(first, Counted())
    action = Counted()

    for other in (
        Claim(first.account_id, first.key, first.action, request_hash([("note", "lain")])),
        Claim(first.account_id, first.key, "POST /y", first.request_hash),
    ):
        with pytest.raises(KeyRefused):
            await once(other, action)
    with pytest.raises(KeyRefused):
        await once(await claim("short"), action)
    assert action.runs == 0


async def test_a_key_is_per_account_and_a_failed_action_leaves_it_free(
    clean_database: str,
) -> None:
    key = mint_key()
    mine, theirs = await claim(key), await claim(key)

    async def fails() -> Outcome:
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        await once(mine, fails)
    assert await IdempotencyKey.count() == 0
    action = Counted()
    await once(mine, action)
    await once(theirs, action)
    assert action.runs == 2


async def test_housekeeping_forgets_keys_after_two_days(clean_database: str) -> None:
    fresh, old = await claim(mint_key()), await claim(mint_key())
    action = Counted()
    await once(fresh, action)
    await once(old, action)
    moment = datetime.now(UTC)
    await IdempotencyKey.update({IdempotencyKey.created_at: moment - timedelta(hours=47)}).where(
        IdempotencyKey.key == fresh.key
    )
    await IdempotencyKey.update({IdempotencyKey.created_at: moment - timedelta(hours=49)}).where(
        IdempotencyKey.key == old.key
    )

    done = await tick(DispatchSettings(), moment)

    assert done.forgotten_keys == 1
    assert [row["key"] for row in await IdempotencyKey.select(IdempotencyKey.key)] == [fresh.key]
    assert (await once(fresh, action))[1] is True
    assert (await once(old, action))[1] is False  # forgotten: a new action
    assert action.runs == 3


# Over HTTP ------------------------------------------------------------------------------------


def key_in(html: str) -> str:
    found = KEY_INPUT.search(html)
    assert found, "the form carries no idempotency key"
    return found.group(1)


async def test_publishing_twice_with_one_key_makes_one_order(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        client = await client_for(stack, app)
        await signed_in(client, "designer", "Dewi Kirana", "0813-5555-0000")
        preview = await post_order(client, "preview")
        key = key_in(preview.text)

        first = await post_order(client, "publish", **{KEY_FIELD: key})
        again = await post_order(client, "publish", **{KEY_FIELD: key})
        changed = await post_order(client, "publish", title="Kemeja lain", **{KEY_FIELD: key})

    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert await Order.count() == 1
    assert changed.status_code == 422
    assert refusal() in changed.text


async def stage_post(order: Deal, key: str, **fields: str) -> Any:
    data = {"stage": Stage.SAMPLE_MADE, "note": "Contoh jadi", KEY_FIELD: key, **fields}
    return await post_form(order.tailor_client, f"{order.url}/stages", data, headers=HX)


async def test_a_replayed_stage_is_posted_once(stack: AsyncExitStack, app: Litestar) -> None:
    order = await deal(stack, app, sample_first=True)
    page = await order.tailor_client.get(order.url)
    key = key_in(page.text)

    answers = [await stage_post(order, key), await stage_post(order, key)]
    other = await stage_post(order, key, note="Catatan lain")

    assert [answer.status_code for answer in answers] == [200, 200]
    assert "Sample made" in answers[1].text or "Contoh" in answers[1].text
    row = await order.row()
    assert await OrderEvent.count().where(OrderEvent.order == row["id"]) == 2  # confirmed, sample
    assert other.status_code == 422
    assert refusal() in other.text


async def test_a_replayed_payment_mark_and_receipt_count_once(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    paid_url, received_url = f"{order.url}/payments/dp/paid", f"{order.url}/payments/dp/received"
    key = key_in((await order.designer_client.get(order.url)).text)
    paid = [
        await post_form(order.designer_client, paid_url, {KEY_FIELD: key}, headers=HX)
        for _ in range(2)
    ]
    key = key_in((await order.tailor_client.get(order.url)).text)
    received = [
        await post_form(order.tailor_client, received_url, {KEY_FIELD: key}, headers=HX)
        for _ in range(2)
    ]

    assert [answer.status_code for answer in (*paid, *received)] == [200] * 4
    row = await order.row()
    payment = await Payment.select().where((Payment.order == row["id"]) & (Payment.kind == "dp"))
    assert payment[0]["status"] == "confirmed"
    told = await Notification.count().where(
        Notification.account.is_in([order.designer_id, order.tailor_id])
        & (Notification.kind == "order_update")
    )
    assert told == 2  # the tailor of the transfer, the designer of its arrival: once each


async def test_a_replayed_message_is_sent_once_and_the_form_gets_a_new_key(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    url = f"{order.url}/messages"
    key = key_in((await order.designer_client.get(order.url)).text)

    first = await post_form(
        order.designer_client, url, {"body": "Halo", KEY_FIELD: key}, headers=HX
    )
    again = await post_form(
        order.designer_client, url, {"body": "Halo"}, headers={**HX, KEY_HEADER: key}
    )
    other = await post_form(
        order.designer_client, url, {"body": "Lain", KEY_FIELD: key}, headers=HX
    )
    plain = await post_form(
        order.designer_client, url, {"body": "Halo", KEY_FIELD: key}, follow_redirects=False
    )

    assert (first.status_code, again.status_code, plain.status_code) == (200, 200, 303)
    row = await order.row()
    assert [m["body"] for m in await Message.select().where(Message.order == row["id"])] == ["Halo"]
    fresh = key_in(first.text)
    assert fresh != key and 'hx-swap-oob="true"' in first.text
    assert other.status_code == 422
    assert refusal() in other.text


def database_held(url: str) -> bool:
    """Would another writer wait now? On SQLite: the write lock is taken; on PostgreSQL: a
    transaction is open (its rows stay locked until it ends)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0) as connection:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            connection.rollback()
            return False

    async def open_transactions() -> int:
        connection = await asyncpg.connect(url)
        try:
            count: int = await connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%'"
            )
            return count
        finally:
            await connection.close()

    return asyncio.run(open_transactions()) > 0


@pytest.mark.parametrize("form", ["stage", "proof"])
async def test_a_photo_sent_with_a_key_is_encoded_while_nothing_holds_the_database(
    stack: AsyncExitStack,
    app: Litestar,
    clean_database: str,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    order = await deal(stack, app)
    held_while_encoding: list[bool] = []

    def encode(data: bytes) -> ProcessedImage:
        # Runs in the worker thread, while the request waits for the encoded photo.
        held_while_encoding.append(database_held(clean_database))
        return process_image(data)

    monkeypatch.setattr(services, "process_image", encode)
    client, url, fields, field = (
        (order.tailor_client, "stages", {"stage": Stage.MATERIALS_RECEIVED}, "photo")
        if form == "stage"
        else (order.designer_client, "payments/dp/paid", {}, "proof")
    )
    response = await post_multipart(
        client,
        f"{order.url}/{url}",
        {**fields, KEY_FIELD: mint_key()},
        {field: ("kain.jpg", jpeg_with_gps(), "image/jpeg")},
        headers=HX,
    )

    assert response.status_code == 200
    assert "/small.webp" in response.text
    assert held_while_encoding == [False]
