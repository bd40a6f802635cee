"""Demo mode hands out an admin without a passkey: only this machine, talking directly, gets it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Session
from server.demo import DEMO_ACCOUNTS, DemoModeRefused
from server.settings import Settings
from tests.helpers import client_from, post_form

ADMIN_PHONE = DEMO_ACCOUNTS[2].phone
FORWARDING = [
    {"X-Forwarded-For": "127.0.0.1"},
    {"Forwarded": "for=127.0.0.1"},
    {"X-Forwarded-Host": "localhost:8000"},
    {"X-Forwarded-Proto": "http"},
    {"X-Real-IP": "127.0.0.1"},
    {"Via": "1.1 proxy"},
    {"CF-Connecting-IP": "127.0.0.1"},
]


@pytest.fixture
def demo_app(settings: Settings) -> Litestar:
    return create_app(dataclasses.replace(settings, demo=True))


@pytest.fixture
async def local(demo_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with client_from(demo_app, "127.0.0.1") as client:
        yield client


async def demo_sign_in(client: AsyncTestClient[Any], **headers: str) -> Any:
    return await post_form(
        client, "/demo/sign-in", {"phone": ADMIN_PHONE}, headers=headers, follow_redirects=False
    )


async def assert_no_demo_for(client: AsyncTestClient[Any], **headers: str) -> None:
    assert (await client.get("/demo", headers=headers)).status_code == 404
    response = await demo_sign_in(client, **headers)
    assert response.status_code == 404, response.text
    assert SESSION_COOKIE not in response.cookies
    assert await Session.count() == 0


@pytest.mark.parametrize(
    "origin",
    [
        "https://clothingline.example",
        "http://192.168.1.10:8000",
        "http://0.0.0.0:8000",
        "https://localhost.example.com",
        "http://127.0.0.1.nip.io:8000",
        "http://localhost:8000/app",
    ],
)
def test_app_refuses_demo_mode_with_public_origin(settings: Settings, origin: str) -> None:
    with pytest.raises(DemoModeRefused, match="PUBLIC_ORIGIN"):
        create_app(dataclasses.replace(settings, demo=True, public_origin=origin))


@pytest.mark.parametrize(
    "origin", ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"]
)
def test_app_builds_demo_mode_with_loopback_origin(settings: Settings, origin: str) -> None:
    app = create_app(dataclasses.replace(settings, demo=True, public_origin=origin))
    assert "/demo" in {route.path for route in app.routes}


async def test_demo_sign_in_works_for_this_machine(local: AsyncTestClient[Any]) -> None:
    assert (await local.get("/demo")).status_code == 200
    response = await demo_sign_in(local)
    assert response.status_code == 303, response.text
    assert (await local.get("/admin/tailors.csv")).status_code == 200


@pytest.mark.parametrize("headers", FORWARDING, ids=lambda headers: next(iter(headers)))
async def test_demo_refused_with_forwarding_header(
    local: AsyncTestClient[Any], headers: dict[str, str]
) -> None:
    await assert_no_demo_for(local, **headers)


@pytest.mark.parametrize("peer", ["203.0.113.5", "192.168.1.10", "::ffff:10.0.0.1", "testclient"])
async def test_demo_refused_from_another_machine(demo_app: Litestar, peer: str) -> None:
    async with client_from(demo_app, peer) as client:
        await assert_no_demo_for(client)


async def test_demo_refused_for_another_host_name(demo_app: Litestar) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1."""
    async with client_from(demo_app, "127.0.0.1", "http://rebind.example:8000") as client:
        await assert_no_demo_for(client)


async def test_demo_session_is_not_honoured_through_a_proxy(local: AsyncTestClient[Any]) -> None:
    """Even holding the demo admin's cookie, a relayed request is a visitor: no tailor's phone
    number leaves in the CSV."""
    assert (await demo_sign_in(local)).status_code == 303
    for headers in FORWARDING:
        relayed = await local.get("/admin/tailors.csv", headers=headers, follow_redirects=False)
        assert relayed.status_code == 303, headers
        assert relayed.headers["location"].startswith("/login")
    assert (await local.get("/admin/tailors.csv")).status_code == 200
