"""Every action the phone's outbox queues is done once: replayed with its key it answers as the
first time (the region again, for htmx) and changes nothing; with other content it is refused;
and once the order moved on it is a 409 saying what happened, in the person's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import unquote
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.clock import now
from server.idempotency.services import forget_old_keys
from server.notifications.tables import Notification
from server.orders.assignment.services import accept_offer, take
from server.orders.cancellations.services import accept_cancellation, request_cancellation
from server.orders.payments.services import mark_paid
from server.orders.posting.editing import edit_order
from server.orders.production.stages import Stage
from server.orders.tables import Message, Offer, OfferStatus, Order, OrderEvent
from tests.builders.orders import Deal, client_for, deal, member, move_to, order, order_form
from tests.builders.orders import state_of as production_state
from tests.builders.places import today
from tests.helpers import HX
from tests.images import jpeg_with_gps

EMPTY_PHOTO = ("", b"", "application/octet-stream")
PHOTO = ("kain.jpg", jpeg_with_gps(640, 480), "image/jpeg")


def outbox(key: str, language: str = "id", **headers: str) -> dict[str, str]:
    return {**HX, "Outbox": "1", "Idempotency-Key": key, "Accept-Language": language, **headers}


def refusal_of(response: Any) -> tuple[int, str, str]:
    return (
        response.status_code,
        response.headers.get("refusal", ""),
        unquote(response.headers.get("refusal-text", "")),
    )


async def replay(
    client: AsyncTestClient[Any],
    url: str,
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes, str]] | None = None,
    *,
    key: str,
    language: str = "id",
    **headers: str,
) -> Any:
    """One send of a queued form, as the outbox makes it: the token read now, the form's own
    encoding (multipart when it has a file field)."""
    token = (await client.get("/outbox/token")).json()["csrf_token"]
    return await client.post(
        url,
        data=fields,
        files=files,
        headers={**outbox(key, language, **headers), "x-csrftoken": token},
    )


async def state_of(order: Deal) -> tuple[Any, ...]:
    return (*await production_state(order), await Message.count())


@dataclass(frozen=True)
class Action:
    """A production action the outbox queues: who sends what, from which stage."""

    by: str
    path: str
    fields: dict[str, str]
    files: dict[str, tuple[str, bytes, str]] | None = None
    start: Stage = Stage.CONFIRMED
    sample_first: bool = False
    region: str = "production"
    prepare: Callable[[Deal], Awaitable[Any]] | None = field(default=None, compare=False)


async def dp_marked_paid(order: Deal) -> None:
    await mark_paid(order.public_id, order.designer_id, "dp")


ACTIONS = {
    "stage with photo": Action(
        "tailor",
        "stages",
        {"stage": Stage.MATERIALS_RECEIVED, "note": "Kain datang"},
        {"photo": PHOTO},
    ),
    "sample approved": Action(
        "designer",
        "stages",
        {"stage": Stage.SAMPLE_APPROVED},
        {"photo": EMPTY_PHOTO},
        start=Stage.SAMPLE_MADE,
        sample_first=True,
    ),
    "sample sent back": Action(
        "designer",
        "sample/reject",
        {"reason": "Kerahnya miring, tolong dijahit ulang."},
        start=Stage.SAMPLE_MADE,
        sample_first=True,
    ),
    "dp paid with proof": Action("designer", "payments/dp/paid", {}, {"proof": PHOTO}),
    "dp received": Action("tailor", "payments/dp/received", {}, prepare=dp_marked_paid),
    "receipt confirmed": Action(
        "designer",
        "stages",
        {"stage": Stage.COMPLETED},
        {"photo": EMPTY_PHOTO},
        start=Stage.SHIPPED,
    ),
    "rating": Action(
        "designer", "reviews/", {"stars": "5", "comment": "Rapi."}, start=Stage.COMPLETED
    ),
    "message": Action("tailor", "messages/", {"body": "Sudah mulai potong."}, region="messages"),
}


@pytest.mark.parametrize("name", ACTIONS)
async def test_each_action_replayed_makes_one_effect_and_answers_the_region_again(
    stack: AsyncExitStack, app: Litestar, name: str
) -> None:
    action = ACTIONS[name]
    order = await deal(stack, app, sample_first=action.sample_first)
    await move_to(order, action.start)
    if action.prepare is not None:
        await action.prepare(order)
    client = order.designer_client if action.by == "designer" else order.tailor_client
    url, key = f"{order.url}/{action.path}", str(uuid4())
    before = await state_of(order)

    first = await replay(client, url, action.fields, action.files, key=key)
    after_first = await state_of(order)
    again = await replay(client, url, action.fields, action.files, key=key)

    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert after_first != before
    assert await state_of(order) == after_first
    region = f'id="order-{order.public_id}-{action.region}"'
    assert region in first.text and region in again.text
    assert "refusal" not in again.headers


async def test_the_same_key_with_other_content_is_refused_in_the_persons_language(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    url, key = f"{order.url}/messages/", str(uuid4())
    await replay(order.tailor_client, url, {"body": "Halo"}, key=key)

    answers = [
        await replay(order.tailor_client, url, {"body": "Lain"}, key=key, language=language)
        for language in ("id", "en")
    ]

    assert [refusal_of(answer) for answer in answers] == [
        (
            422,
            "form_reused",
            "Formulir ini sudah pernah terkirim dengan isi lain. "
            "Muat ulang halaman, lalu coba lagi.",
        ),
        (
            422,
            "form_reused",
            "This form was already sent with other content. Reload the page and try again.",
        ),
    ]
    assert [row["body"] for row in await Message.select(Message.body)] == ["Halo"]


async def test_a_key_is_kept_two_days_then_the_order_itself_refuses_the_replay(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    url, key = f"{order.url}/stages", str(uuid4())
    fields = {"stage": Stage.MATERIALS_RECEIVED, "note": ""}
    files = {"photo": EMPTY_PHOTO}
    await replay(order.tailor_client, url, fields, files, key=key)
    events = await OrderEvent.count()

    assert await forget_old_keys(now() + timedelta(hours=47)) == 0
    kept = await replay(order.tailor_client, url, fields, files, key=key)
    assert await forget_old_keys(now() + timedelta(hours=49)) == 1
    forgotten = await replay(order.tailor_client, url, fields, files, key=key)

    assert kept.status_code == 200
    assert refusal_of(forgotten) == (
        409,
        "already_posted",
        "Tahap ini sudah dikirim sebelumnya. Tidak ada yang dikirim ulang.",
    )
    assert await OrderEvent.count() == events


# The order moved on while the action waited on the phone --------------------------------------


async def cancelled_meanwhile(order: Deal) -> None:
    await request_cancellation(order.public_id, order.designer_id, "Acara kantor dibatalkan.")
    await accept_cancellation(order.public_id, order.tailor_id)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "id",
            "Order ini sudah dibatalkan: tidak ada lagi yang dikerjakan. Tidak ada yang terkirim.",
        ),
        (
            "en",
            "This order was cancelled meanwhile: nothing more is done on it. Nothing was sent.",
        ),
    ],
)
async def test_a_stage_queued_before_the_order_was_cancelled_is_a_409(
    stack: AsyncExitStack, app: Litestar, language: str, text: str
) -> None:
    order = await deal(stack, app)
    await cancelled_meanwhile(order)
    before = await state_of(order)

    answer = await replay(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": Stage.MATERIALS_RECEIVED},
        {"photo": PHOTO},
        key=str(uuid4()),
        language=language,
    )

    assert refusal_of(answer) == (409, "order_cancelled", text)
    assert text in answer.text
    assert await state_of(order) == before


@dataclass
class Bidding:
    """An open Penawaran order, a tailor on their own phone, and a rival tailor."""

    designer_id: int
    tailor_id: int
    rival_id: int
    public_id: UUID
    client: AsyncTestClient[Any]

    @property
    def url(self) -> str:
        return f"/orders/{self.public_id}/offers"


async def bidding(stack: AsyncExitStack, app: Litestar) -> Bidding:
    clients = [await client_for(stack, app) for _ in range(3)]
    designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
    tailor_id = await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
    rival_id = await member(clients[2], "tailor", "Rina Lestari", "0812-1000-0002")
    return Bidding(designer_id, tailor_id, rival_id, await order(designer_id), clients[1])


def offer_fields(price: str = "42.000") -> dict[str, str]:
    return {
        "price_per_piece": price,
        "ready_by": (today() + timedelta(days=10)).isoformat(),
        "note": "Bisa kirim sampel",
    }


async def offers_of(setup: Bidding) -> list[tuple[Any, ...]]:
    rows = await Offer.select(Offer.tailor, Offer.price_per_piece, Offer.version, Offer.status)
    return [(r["tailor"], r["price_per_piece"], r["version"], r["status"]) for r in rows]


async def test_offers_made_changed_and_withdrawn_are_each_done_once(
    stack: AsyncExitStack, app: Litestar
) -> None:
    setup = await bidding(stack, app)
    steps = [
        (setup.url, offer_fields("42.000"), (42_000, 1, OfferStatus.LIVE)),
        (setup.url, offer_fields("40.000"), (40_000, 2, OfferStatus.LIVE)),
        (f"{setup.url}/withdraw", {}, (40_000, 2, OfferStatus.WITHDRAWN)),
    ]
    for url, fields, expected in steps:
        key = str(uuid4())
        answers = [await replay(setup.client, url, fields, key=key) for _ in range(2)]

        assert [answer.status_code for answer in answers] == [200, 200], answers[1].text
        assert answers[0].text == answers[1].text  # the sheet with the same notice
        assert await offers_of(setup) == [(setup.tailor_id, *expected)]
    told = await Notification.count().where(Notification.account == setup.designer_id)
    assert told == 2  # the offer and its change, once each


CONFLICTS = {
    "offer accepted": (
        "offer_accepted",
        "The designer already accepted your offer: this order is yours. Nothing was changed.",
        "Desainer sudah menerima penawaran Anda: order ini milik Anda. Tidak ada yang diubah.",
    ),
    "order taken": (
        "taken",
        "Another tailor already took this order.",
        "Penjahit lain sudah mengambil order ini.",
    ),
    "order edited": (
        "changed_since_read",
        "The designer changed this order after you wrote your offer. Read it again and send "
        "your offer anew.",
        "Desainer mengubah order ini setelah Anda menulis penawaran. Baca lagi, lalu kirim "
        "penawaran Anda lagi.",
    ),
}


async def moved_on(setup: Bidding, case: str) -> None:
    if case == "offer accepted":
        await replay(setup.client, setup.url, offer_fields(), key=str(uuid4()))
        offer = await Offer.select(Offer.public_id).first()
        await accept_offer(setup.designer_id, offer["public_id"])
    elif case == "order taken":
        await Order.update({Order.mode: "direct"}).where(Order.public_id == setup.public_id)
        await take(setup.rival_id, setup.public_id)
    else:
        await edit_order(setup.designer_id, setup.public_id, order_form(quantity=120))


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("case", CONFLICTS)
async def test_an_offer_queued_before_the_order_moved_on_is_a_409_saying_what_happened(
    stack: AsyncExitStack, app: Litestar, case: str, language: str
) -> None:
    setup = await bidding(stack, app)
    seen = (await Order.select(Order.revision).first())["revision"]
    await moved_on(setup, case)
    before = await offers_of(setup)

    answer = await replay(
        setup.client,
        setup.url,
        offer_fields("39.000"),
        key=str(uuid4()),
        language=language,
        **{"Order-Revision": str(seen)},
    )

    code, english, indonesian = CONFLICTS[case]
    text = english if language == "en" else indonesian
    assert refusal_of(answer) == (409, code, text)
    assert await offers_of(setup) == before
