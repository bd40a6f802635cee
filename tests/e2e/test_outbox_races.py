"""One queued action arriving several times at once over real HTTP (the phone's outbox sent
it, the answer was lost, it sends again while the first is still being done): exactly one
effect, and every copy gets the same 200, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx

from server.notifications.tables import Notification
from server.orders.assignment.services import take
from server.orders.production.stages import Stage
from server.orders.tables import Message, Offer, OrderEvent
from tests.builders.orders import offer, order
from tests.builders.people import designer, tailor
from tests.builders.places import today
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.races import signed_in
from tests.images import jpeg_with_gps

COPIES = 6


async def parties(mode: str) -> tuple[int, int, UUID]:
    owner = await designer()
    maker = await tailor("Siti Rahayu", skills=("kemeja", "seragam"), capacity=1000)
    public_id = await order(owner, mode=mode)
    if mode == "direct":
        await take(maker, public_id)
    return owner, maker, public_id


async def replayed_at_once(
    server: LiveServer, account_id: int, url: str, fields: dict[str, str], files: Any = None
) -> list[httpx.Response]:
    """`COPIES` sends of one queued form with one key, from one phone, released together."""
    client = await signed_in(server, account_id)
    token = (await client.get("/outbox/token")).json()["csrf_token"]
    headers = {
        "HX-Request": "true",
        "Outbox": "1",
        "Idempotency-Key": str(uuid4()),
        "x-csrftoken": token,
    }
    gate = asyncio.Event()

    async def send() -> httpx.Response:
        await gate.wait()
        return await client.post(url, data=fields, files=files, headers=headers)

    tasks = [asyncio.create_task(send()) for _ in range(COPIES)]
    await asyncio.sleep(0)  # every copy waits at the gate
    gate.set()
    try:
        return await asyncio.gather(*tasks)
    finally:
        await client.aclose()


def same_answers(responses: list[httpx.Response], region: str) -> None:
    assert Counter(r.status_code for r in responses) == {200: COPIES}
    assert all(region in r.text for r in responses)


def test_a_stage_with_its_photo_sent_several_times_at_once_is_posted_once(
    server: LiveServer,
) -> None:
    _owner, maker, public_id = server.call(parties("direct"))
    photo = ("kain.jpg", jpeg_with_gps(640, 480), "image/jpeg")

    responses = run_async(
        lambda: replayed_at_once(
            server,
            maker,
            f"/orders/{public_id}/stages",
            {"stage": Stage.MATERIALS_RECEIVED, "note": "Kain datang"},
            {"photo": photo},
        )
    )

    same_answers(responses, f'id="order-{public_id}-production"')
    kinds = server.call(OrderEvent.select(OrderEvent.kind, OrderEvent.photo).run())
    assert sorted(row["kind"] for row in kinds) == [Stage.CONFIRMED, Stage.MATERIALS_RECEIVED]
    assert sum(row["photo"] is not None for row in kinds) == 1


def test_a_message_sent_several_times_at_once_arrives_once(server: LiveServer) -> None:
    owner, maker, public_id = server.call(parties("direct"))
    alerts = server.call(Notification.count().where(Notification.account == owner).run())

    responses = run_async(
        lambda: replayed_at_once(
            server, maker, f"/orders/{public_id}/messages", {"body": "Sudah mulai potong."}
        )
    )

    same_answers(responses, f'id="order-{public_id}-messages"')
    bodies = server.call(Message.select(Message.body).run())
    assert [row["body"] for row in bodies] == ["Sudah mulai potong."]
    told = server.call(Notification.count().where(Notification.account == owner).run())
    assert told == alerts + 1


def test_an_offer_sent_several_times_at_once_is_made_once(server: LiveServer) -> None:
    owner, maker, public_id = server.call(parties("bidding"))
    fields = {
        "price_per_piece": "42.000",
        "ready_by": (today() + timedelta(days=10)).isoformat(),
        "note": "Bisa kirim sampel",
    }

    responses = run_async(
        lambda: replayed_at_once(server, maker, f"/orders/{public_id}/offers", fields)
    )

    same_answers(responses, f'id="order-{public_id}-action"')
    offers = server.call(Offer.select(Offer.tailor, Offer.version).run())
    assert offers == [{"tailor": maker, "version": 1}]
    told = server.call(Notification.count().where(Notification.account == owner).run())
    assert told == 1


def test_a_withdrawal_sent_several_times_at_once_answers_each_copy_as_the_first(
    server: LiveServer,
) -> None:
    """Without its key, every copy after the first would be told the offer is gone (409)."""
    _owner, maker, public_id = server.call(parties("bidding"))
    server.call(offer(maker, public_id, 42_000))

    responses = run_async(
        lambda: replayed_at_once(server, maker, f"/orders/{public_id}/offers/withdraw", {})
    )

    same_answers(responses, f'id="order-{public_id}-action"')
    offers = server.call(Offer.select(Offer.status, Offer.version).run())
    assert offers == [{"status": "withdrawn", "version": 1}]
