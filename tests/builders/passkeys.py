"""Whole passkey journeys through the HTTP API, for tests that need a signed-in person."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.conftest import TEST_ORIGIN
from tests.helpers import post_json
from tests.webauthn_device import SoftAuthenticator


async def register(
    client: AsyncTestClient[Any],
    device: SoftAuthenticator,
    *,
    role: str = "tailor",
    name: str = "Siti Rahayu",
    phone: str = "0812-3456-7890",
) -> dict[str, Any]:
    options = await post_json(
        client, "/auth/register/options", {"role": role, "name": name, "phone": phone}
    )
    assert options.status_code == 200, options.text
    credential = device.create(options.json(), TEST_ORIGIN)
    response = await post_json(client, "/auth/register/verify", credential)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def sign_in(client: AsyncTestClient[Any], device: SoftAuthenticator) -> Any:
    options = await post_json(client, "/auth/login/options", {})
    assert options.status_code == 200, options.text
    assertion = device.get(options.json(), TEST_ORIGIN)
    return await post_json(client, "/auth/login/verify", assertion)
