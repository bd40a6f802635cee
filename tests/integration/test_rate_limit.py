import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import Settings
from tests.helpers import post_form, post_json

LIMIT = 3


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(dataclasses.replace(settings, auth_rate_limit_per_minute=LIMIT))
    async with AsyncTestClient(app=app) as client:
        yield client


async def use_up_sign_in_attempts(client: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await post_json(client, "/auth/login/options", {})
        assert response.status_code == 200, response.text


async def test_sign_in_options_refused_after_limit_with_translated_json(
    limited: AsyncTestClient[Any],
) -> None:
    await use_up_sign_in_attempts(limited)
    response = await post_json(limited, "/auth/login/options", {})
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "Terlalu banyak percobaan"
    assert response.json()["detail"] == "Tunggu sebentar, lalu coba lagi."
    assert response.headers["ratelimit-remaining"] == "0"
    assert 0 < int(response.headers["ratelimit-reset"]) <= 60
    assert response.headers["cache-control"] == "no-store"


async def test_sign_in_options_refused_after_limit_in_english(
    limited: AsyncTestClient[Any],
) -> None:
    await use_up_sign_in_attempts(limited)
    response = await post_json(
        limited, "/auth/login/options", {}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 429
    assert response.json()["error"] == "Too many attempts"
    assert response.json()["detail"] == "Wait a minute, then try again."


async def test_sign_in_limit_counts_every_auth_endpoint(limited: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await post_json(limited, "/auth/login/verify", {})
        assert response.status_code == 400
    response = await post_json(limited, "/auth/login/options", {})
    assert response.status_code == 429


async def test_other_pages_are_not_limited(limited: AsyncTestClient[Any]) -> None:
    await use_up_sign_in_attempts(limited)
    assert (await post_json(limited, "/auth/login/options", {})).status_code == 429
    for path in ["/", "/offline", "/healthz", "/manifest.webmanifest"] * 2:
        response = await limited.get(path)
        assert response.status_code == 200, path
    language = await post_form(limited, "/language", {"lang": "en"}, follow_redirects=False)
    assert language.status_code == 303


async def test_recover_is_limited(limited: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await post_form(
            limited, "/recover", {"phone": "0812-3456-7890", "code": "AAAAA-BBBBB"}
        )
        assert response.status_code == 400
        assert "<html" in response.text
    response = await post_form(
        limited, "/recover", {"phone": "0812-3456-7890", "code": "AAAAA-BBBBB"}
    )
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.text
    assert (await limited.get("/recover")).status_code == 429


async def test_enrolment_links_are_limited(limited: AsyncTestClient[Any]) -> None:
    for _ in range(LIMIT):
        response = await limited.get("/enrol/not-a-real-token")
        assert response.status_code == 410
    assert (await limited.get("/enrol/not-a-real-token")).status_code == 429


async def test_default_limit_lets_a_normal_sign_in_through(client: AsyncTestClient[Any]) -> None:
    for _ in range(10):
        response = await post_json(client, "/auth/login/options", {})
        assert response.status_code == 200
