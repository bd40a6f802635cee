from typing import Any

from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.auth.tables import Passkey, Session
from tests.builders.passkeys import register, sign_in
from tests.webauthn_device import SoftAuthenticator


async def test_register_then_sign_in_with_discoverable_passkey(
    client: AsyncTestClient[Any],
) -> None:
    device = SoftAuthenticator()
    result = await register(client, device)
    assert result == {"redirect": "/home", "issue_recovery_codes": True}
    account = await Account.select().first()
    assert account["phone"] == "+6281234567890"
    assert account["role"] == "tailor"
    home = await client.get("/home")
    assert "Halo, Siti Rahayu" in home.text

    await client.post("/auth/logout", headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert (await client.get("/home", follow_redirects=False)).status_code == 303

    response = await sign_in(client, device)
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/home"}
    assert "Halo, Siti Rahayu" in (await client.get("/home")).text
    passkey = await Passkey.select().first()
    assert passkey["sign_count"] == 1
    assert passkey["last_used_at"] is not None
    assert passkey["transports"] in ('["internal", "hybrid"]', ["internal", "hybrid"])
    assert await Session.count() == 1
