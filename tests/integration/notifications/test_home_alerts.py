from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.media.tables import Photo
from server.tailors.tables import TailorProfile
from tests.builders.passkeys import register
from tests.builders.people import onboard, signed_in_tailor
from tests.webauthn_device import SoftAuthenticator


async def test_onboarded_tailor_can_turn_alerts_on_from_home(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    account = await signed_in_tailor(client)
    home = await client.get("/home")
    assert 'id="push-state"' not in home.text  # first the profile steps
    await onboard(client)
    await TailorProfile.update(
        {TailorProfile.bio: "Penjahit seragam.", TailorProfile.verification: "pending"}
    ).where(TailorProfile.account == account["id"])
    await Photo.insert(
        Photo(
            owner=account["id"], kind="portfolio", width=1, height=1, small_width=1, small_height=1
        )
    )
    home = await client.get("/home")
    assert 'id="push-state"' in home.text
    assert f'data-application-server-key="{app.state.vapid.public_key}"' in home.text
    assert "Nyalakan notifikasi" in home.text


async def test_designer_home_offers_alerts(client: AsyncTestClient[Any]) -> None:
    await register(
        client, SoftAuthenticator(), role="designer", name="Dewi", phone="0812-9999-0000"
    )
    home = await client.get("/home")
    assert 'id="push-state"' in home.text
    assert "Notifikasi tentang order Anda" in home.text
