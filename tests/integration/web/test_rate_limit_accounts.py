"""Per-account limits on what a signed-in person sends: generous, counted per account, and
refused with a page, or an htmx notice, that says when to try again."""

import dataclasses
from contextlib import AsyncExitStack
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.orders.tables import Message
from server.settings import HOUR, MINUTE, Limit, RateLimits, Settings
from server.web.ratelimit import RULES, Key
from tests.builders.orders import Deal, deal, member
from tests.helpers import HX, post_form, post_json

# Two messages an hour: the third waits half an hour.
TWO_AN_HOUR = Limit(2, HOUR, burst=2)
ONE_AN_HOUR = Limit(1, HOUR, burst=1)


@pytest.fixture
def limited_app(settings: Settings) -> Litestar:
    limits = dataclasses.replace(
        RateLimits.uniform(Limit(1000, MINUTE, burst=1000)),
        messages=TWO_AN_HOUR,
        push_subscriptions=TWO_AN_HOUR,
    )
    return create_app(dataclasses.replace(settings, rate_limits=limits))


@pytest.fixture
async def order_deal(stack: AsyncExitStack, limited_app: Litestar) -> Deal:
    return await deal(stack, limited_app)


async def send(client: Any, order_deal: Deal, body: str, **kwargs: Any) -> Any:
    url = f"{order_deal.url}/messages"
    return await post_form(client, url, {"body": body}, follow_redirects=False, **kwargs)


async def use_up_messages(order_deal: Deal) -> None:
    for number in range(2):
        response = await send(order_deal.designer_client, order_deal, f"Pesan {number}")
        assert response.status_code == 303


def waits(response: Any, seconds: int) -> bool:
    """Retry-After is `seconds`, less the time a busy machine took between the charges and the
    refusal."""
    return seconds - MINUTE <= int(response.headers["retry-after"]) <= seconds


async def message_bodies() -> list[str]:
    return [row["body"] for row in await Message.select(Message.body).order_by(Message.id)]


async def test_message_limit_answers_a_translated_page_with_the_wait(order_deal: Deal) -> None:
    await use_up_messages(order_deal)
    response = await send(order_deal.designer_client, order_deal, "Pesan ketiga")
    assert response.status_code == 429
    assert waits(response, HOUR // 2)
    assert response.headers["cache-control"] == "no-store"
    assert "<html" in response.text
    assert "Terlalu banyak dalam waktu singkat" in response.text
    assert "Coba lagi 30 menit lagi. Yang Anda kirim belum tersimpan." in response.text
    assert await message_bodies() == ["Pesan 0", "Pesan 1"]


async def test_message_limit_answers_an_htmx_notice_in_english(order_deal: Deal) -> None:
    await post_form(order_deal.designer_client, "/account/language", {"lang": "en"})
    await use_up_messages(order_deal)
    response = await send(order_deal.designer_client, order_deal, "Third", headers=HX)
    assert response.status_code == 429
    assert waits(response, HOUR // 2)
    # Shown over the page the person is on, whatever the form's own target was.
    assert response.headers["hx-retarget"] == "#notice"
    assert response.headers["hx-reswap"] == "innerHTML"
    assert "<html" not in response.text
    assert "<strong>Too many in a short time.</strong>" in response.text
    assert "Try again in 30 minutes. What you sent was not saved." in response.text
    page = await order_deal.designer_client.get(order_deal.url)
    assert '<div id="notice" class="toast" role="status" aria-live="assertive"></div>' in page.text


async def test_message_limit_is_per_account(order_deal: Deal) -> None:
    await use_up_messages(order_deal)
    assert (await send(order_deal.designer_client, order_deal, "Lagi")).status_code == 429
    # The tailor, on the same address, still answers.
    response = await send(order_deal.tailor_client, order_deal, "Siap, Bu.")
    assert response.status_code == 303
    assert await message_bodies() == ["Pesan 0", "Pesan 1", "Siap, Bu."]


async def test_push_subscription_limit_answers_json_for_the_script(order_deal: Deal) -> None:
    client = order_deal.tailor_client
    for _ in range(2):
        response = await post_json(client, "/push/subscriptions", {})
        assert response.status_code == 400
    response = await post_json(client, "/push/subscriptions", {})
    assert response.status_code == 429
    assert waits(response, HOUR // 2)
    assert response.json() == {
        "error": "Terlalu banyak dalam waktu singkat. Coba lagi 30 menit lagi."
        " Yang Anda kirim belum tersimpan.",
        "retry_after": 1800,
    }


ACCOUNT_ROUTES = sorted(
    (method, path)
    for (method, path), rules in RULES.items()
    if any(rule.key is Key.ACCOUNT for rule in rules)
)


async def test_every_account_limit_refuses_the_request_past_it(
    settings: Settings, stack: AsyncExitStack
) -> None:
    """Whatever the route answers first (a refusal of the empty form, a 404), the request past
    the limit is not let through to it."""
    app = create_app(dataclasses.replace(settings, rate_limits=RateLimits.uniform(ONE_AN_HOUR)))
    client = await stack.enter_async_context(AsyncTestClient(app=app))
    await member(client, "tailor", "Siti Rahayu", "0812-1000-0001")
    used: set[str] = set()
    for method, path in ACCOUNT_ROUTES:
        url = path.format(public_id=uuid4(), kind="dp")
        [limit] = [rule.limit for rule in RULES[(method, path)] if rule.key is Key.ACCOUNT]

        async def send(method: str = method, url: str = url) -> Any:
            if method == "GET":
                return await client.get(url, follow_redirects=False)
            return await post_form(client, url, {}, follow_redirects=False)

        if limit not in used:
            used.add(limit)
            first = await send()
            assert first.status_code != 429, url
        refused = await send()
        assert refused.status_code == 429, url
        assert waits(refused, HOUR), url
