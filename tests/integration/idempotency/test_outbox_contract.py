"""What the phone's outbox relies on when it replays a queued action (/work/team/OUTBOX.md):
the CSRF token read at replay time from /outbox/token, a 401 (never the sign-in page) once the
session is gone, the reason of every refusal in headers, and the order's revision on the page."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any
from urllib.parse import unquote
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth.sessions import SESSION_LIFETIME
from server.orders.production.stages import Stage
from server.orders.tables import Message
from server.web.middleware import account_key
from tests.builders.orders import Deal, deal
from tests.clock import move_clock
from tests.helpers import HX

TOKEN_URL = "/outbox/token"


def outbox(**headers: str) -> dict[str, str]:
    """The headers of a replay: a fresh key unless given, htmx's, and the outbox's own."""
    return {**HX, "Outbox": "1", "Idempotency-Key": str(uuid4()), **headers}


def refusal_of(response: Any) -> tuple[str, str]:
    return response.headers["refusal"], unquote(response.headers["refusal-text"])


async def token_of(client: AsyncTestClient[Any]) -> str:
    response = await client.get(TOKEN_URL)
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


async def replay_message(
    client: AsyncTestClient[Any], order: Deal, body: str, token: str, **headers: str
) -> Any:
    return await client.post(
        f"{order.url}/messages",
        data={"body": body},
        headers={**outbox(**headers), "x-csrftoken": token},
        follow_redirects=False,
    )


async def post_stage(client: AsyncTestClient[Any], order: Deal, headers: dict[str, str]) -> Any:
    """The stage form as the page sends it: multipart, its photo field left empty."""
    return await client.post(
        f"{order.url}/stages",
        data={"stage": Stage.MATERIALS_RECEIVED, "note": ""},
        files={"photo": ("", b"", "application/octet-stream")},
        headers=headers,
    )


async def test_the_token_is_this_browsers_and_names_the_account(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    client = order.designer_client

    response = await client.get(TOKEN_URL)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["csrf_token"] == client.cookies["csrftoken"]  # set by this very answer
    secret = app.state.settings.secret_key
    assert body["account"] == account_key(secret, order.designer_id)
    assert body["account"] == (await client.get("/")).headers["x-account"]
    again = await client.get(TOKEN_URL)
    assert again.json() == body  # one browser, one token


async def test_signed_out_the_token_is_a_401_in_json(client: AsyncTestClient[Any]) -> None:
    response = await client.get(TOKEN_URL, headers={"Accept-Language": "en", "Outbox": "1"})

    assert response.status_code == 401
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["error"] == "Please sign in"
    assert refusal_of(response) == (
        "signed_out",
        "Please sign in. Sign in with your passkey to continue.",
    )


async def test_a_replay_with_the_token_read_eight_hours_later_is_sent(
    stack: AsyncExitStack, app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = await deal(stack, app)
    client = order.tailor_client
    move_clock(monkeypatch, timedelta(hours=8))  # queued at the workshop, sent on the bus

    sent = await replay_message(client, order, "Kain sudah datang", await token_of(client))

    assert sent.status_code == 200
    assert "Kain sudah datang" in sent.text
    move_clock(monkeypatch, SESSION_LIFETIME)  # the session ended meanwhile
    token = client.cookies["csrftoken"]
    late = await replay_message(client, order, "Sudah dipotong", token, **{"Accept-Language": "id"})
    signed_out = await client.get(TOKEN_URL)

    assert late.status_code == 401
    assert "location" not in late.headers and "hx-redirect" not in late.headers
    assert refusal_of(late) == (
        "signed_out",
        "Silakan masuk. Masuk dengan passkey Anda untuk melanjutkan.",
    )
    assert signed_out.status_code == 401
    bodies = [row["body"] for row in await Message.select(Message.body)]
    assert bodies == ["Kain sudah datang"]


@pytest.mark.parametrize("marker", ["Outbox", "Idempotency-Key"])
async def test_without_a_session_a_replay_gets_401_and_a_page_the_sign_in(
    app: Litestar, marker: str
) -> None:
    async with AsyncTestClient(app=app) as client:
        token = await token_of_signed_out(client)
        headers = {"Outbox": "1"} if marker == "Outbox" else {"Idempotency-Key": str(uuid4())}
        url = f"/orders/{uuid4()}/messages"
        replay = await client.post(
            url, data={"body": "Halo"}, headers={**HX, **headers, "x-csrftoken": token}
        )
        page = await client.post(
            url, data={"body": "Halo", "_csrf_token": token}, follow_redirects=False
        )

    assert replay.status_code == 401
    assert "hx-redirect" not in replay.headers
    assert replay.headers["refusal"] == "signed_out"
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")


async def token_of_signed_out(client: AsyncTestClient[Any]) -> str:
    await client.get("/")
    return str(client.cookies["csrftoken"])


async def test_a_replay_with_a_stale_token_is_refused_403_with_its_reason(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)

    response = await replay_message(
        order.tailor_client, order, "Halo", "0" * 64, **{"Accept-Language": "en"}
    )

    assert response.status_code == 403
    assert refusal_of(response) == (
        "csrf",
        "This form has expired. Reload the page and try again. Your data was not sent.",
    )
    assert await Message.count() == 0


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Tahap ini sudah dikirim sebelumnya. Tidak ada yang dikirim ulang."),
        ("en", "This stage was already posted. Nothing was sent again."),
    ],
)
async def test_a_stage_posted_meanwhile_is_a_409_saying_so(
    stack: AsyncExitStack, app: Litestar, language: str, text: str
) -> None:
    order = await deal(stack, app)
    client = order.tailor_client
    token = await token_of(client)
    headers = {**outbox(**{"Accept-Language": language}), "x-csrftoken": token}
    first = await post_stage(client, order, headers)

    # The same stage queued on another phone, with a key of its own.
    again = await post_stage(client, order, {**headers, "Idempotency-Key": str(uuid4())})

    assert first.status_code == 200

    assert again.status_code == 409
    assert refusal_of(again) == ("already_posted", text)
    assert text in again.text  # the region again, saying it where the person looks


async def test_the_order_page_carries_its_revision_where_its_forms_are(
    stack: AsyncExitStack, app: Litestar
) -> None:
    order = await deal(stack, app)
    revision = (await order.row())["revision"]

    page = await order.tailor_client.get(order.url)
    region = await order.tailor_client.get(f"{order.url}/production", headers=HX)

    found = set(re.findall(r'data-order-revision="(\d+)"', page.text))
    assert found == {str(revision)}
    assert re.search(r'<section id="order-[^"]+-production"[^>]*data-order-revision', page.text)
    assert re.search(r'<section id="order-[^"]+-thread"[^>]*data-order-revision', page.text)
    assert f'data-order-revision="{revision}"' in region.text
