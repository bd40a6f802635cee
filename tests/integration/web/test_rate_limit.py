"""Sign-in, recovery and enrolment: limited per client address and per phone number; sign-out
never. The test client is one address, as phones behind one carrier address are."""

import dataclasses
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Session
from server.settings import MINUTE, Limit, RateLimits, Settings
from server.web.ratelimit import RULES
from tests.builders.orders import member
from tests.helpers import post_form, post_json

LIMIT = 3
GENEROUS = Limit(1000, MINUTE, burst=1000)


def limited_app(settings: Settings, **limits: Limit) -> Litestar:
    rate_limits = dataclasses.replace(RateLimits.uniform(GENEROUS), **limits)
    return create_app(dataclasses.replace(settings, rate_limits=rate_limits))


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """Three sign-in requests a minute from one address."""
    app = limited_app(settings, sign_in_per_client=Limit(LIMIT, MINUTE, burst=LIMIT))
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture
async def per_phone(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """Two attempts an hour for each phone number; the address limit out of the way."""
    app = limited_app(settings, sign_in_per_phone=Limit(2, 60 * MINUTE, burst=2))
    async with AsyncTestClient(app=app) as client:
        yield client


async def use_up_sign_in_attempts(client: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await post_json(client, "/auth/login/options", {})
        assert response.status_code == 200, response.text


async def recover(client: AsyncTestClient[Any], phone: str) -> Any:
    return await post_form(client, "/recover", {"phone": phone, "code": "AAAAA-BBBBB"})


async def register_options(client: AsyncTestClient[Any], phone: str) -> Any:
    body = {"role": "tailor", "name": "Siti Rahayu", "phone": phone}
    return await post_json(client, "/auth/register/options", body)


async def test_sign_in_options_refused_after_limit_with_translated_json(
    limited: AsyncTestClient[Any],
) -> None:
    await use_up_sign_in_attempts(limited)
    response = await post_json(limited, "/auth/login/options", {})
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/json")
    # Three a minute: the next one is allowed 20 seconds later.
    assert response.headers["retry-after"] == "20"
    assert response.json() == {
        "error": "Terlalu banyak percobaan. Coba lagi 1 menit lagi.",
        "retry_after": 20,
    }
    assert response.headers["cache-control"] == "no-store"


async def test_sign_in_options_refused_after_limit_in_english(
    limited: AsyncTestClient[Any],
) -> None:
    await use_up_sign_in_attempts(limited)
    response = await post_json(
        limited, "/auth/login/options", {}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 429
    assert response.json()["error"] == "Too many attempts. Try again in 1 minute."


async def test_sign_in_limit_counts_every_auth_endpoint(limited: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await post_json(limited, "/auth/login/verify", {})
        assert response.status_code == 400
    response = await post_json(limited, "/auth/register/verify", {})
    assert response.status_code == 429


async def test_other_pages_are_not_limited(limited: AsyncTestClient[Any]) -> None:
    await use_up_sign_in_attempts(limited)
    assert (await post_json(limited, "/auth/login/options", {})).status_code == 429
    for path in [
        "/",
        "/login",
        "/recover",
        "/offline",
        "/healthz",
        "/healthz/live",
        "/healthz/ready",
    ] * 2:
        response = await limited.get(path)
        assert response.status_code == 200, path
    language = await post_form(limited, "/language", {"lang": "en"}, follow_redirects=False)
    assert language.status_code == 303


async def test_sign_out_works_while_sign_in_is_limited(
    settings: Settings, stack: AsyncExitStack
) -> None:
    app = limited_app(settings, sign_in_per_client=Limit(LIMIT, MINUTE, burst=LIMIT))
    signed_in = await stack.enter_async_context(AsyncTestClient(app=app))
    abuser = await stack.enter_async_context(AsyncTestClient(app=app))
    await member(signed_in, "tailor", "Siti Rahayu", "0812-1000-0001")
    await use_up_sign_in_attempts(abuser)
    assert (await post_json(abuser, "/auth/login/options", {})).status_code == 429
    assert (await post_json(signed_in, "/auth/login/options", {})).status_code == 429

    response = await post_form(signed_in, "/auth/logout", {}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    assert f"{SESSION_COOKIE}=" in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert await Session.count() == 0


async def test_recovery_is_limited_per_address_whatever_the_phone(
    limited: AsyncTestClient[Any],
) -> None:
    for number in range(LIMIT):
        response = await recover(limited, f"0812-3456-780{number}")
        assert response.status_code == 400
        assert "<html" in response.text
    response = await recover(limited, "0812-3456-7809")
    assert response.status_code == 429
    assert "<html" in response.text
    assert "Terlalu banyak percobaan" in response.text
    assert "Coba lagi 1 menit lagi." in response.text
    assert response.headers["retry-after"] == "20"


async def test_recovery_is_limited_per_phone_while_other_phones_pass(
    per_phone: AsyncTestClient[Any],
) -> None:
    # Any spelling of the number is the same number.
    for spelling in ["0812-3456-7890", "+62 812 3456 7890"]:
        assert (await recover(per_phone, spelling)).status_code == 400
    response = await recover(per_phone, "6281234567890")
    assert response.status_code == 429
    # Two an hour: the next attempt for that number is allowed in half an hour.
    assert response.headers["retry-after"] == "1800"
    assert "Coba lagi 30 menit lagi." in response.text
    for _ in range(2):
        assert (await recover(per_phone, "0812-3456-7891")).status_code == 400


async def test_registration_is_limited_per_phone_while_other_phones_pass(
    per_phone: AsyncTestClient[Any],
) -> None:
    for _ in range(2):
        assert (await register_options(per_phone, "0812-3456-7890")).status_code == 200
    refused = await register_options(per_phone, "0812 3456 7890")
    assert refused.status_code == 429
    assert refused.json()["error"] == "Terlalu banyak percobaan. Coba lagi 30 menit lagi."
    assert refused.headers["retry-after"] == "1800"
    assert (await register_options(per_phone, "0812-3456-7891")).status_code == 200
    # A request naming no valid number is left to the address limit and the form's own check.
    assert (await register_options(per_phone, "not a number")).status_code == 400


async def test_enrolment_links_are_limited(limited: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await limited.get("/enrol/not-a-real-token")
        assert response.status_code == 410
    response = await limited.get("/enrol/not-a-real-token")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.text


async def test_default_limits_let_a_busy_address_sign_in(client: AsyncTestClient[Any]) -> None:
    """Forty people behind one carrier address open the sign-in page at once."""
    for _ in range(40):
        response = await post_json(client, "/auth/login/options", {})
        assert response.status_code == 200


def test_every_rule_names_a_route_and_a_limit(app: Litestar) -> None:
    """A renamed route or limit would silently drop its rate limit."""
    routes = {(method, route.path_format) for route in app.routes for method in route.methods}
    assert set(RULES) <= routes
    assert {rule.limit for rules in RULES.values() for rule in rules} == {
        field.name for field in dataclasses.fields(RateLimits)
    }
    assert not any(path == "/auth/logout" for _method, path in RULES)
