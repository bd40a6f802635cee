from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.media.tables import Photo
from server.tailors.tables import TailorProfile
from tests.builders.passkeys import register
from tests.builders.people import onboard, signed_in_tailor, submit_certificate
from tests.helpers import post_multipart
from tests.images import jpeg_with_gps
from tests.webauthn_device import SoftAuthenticator


async def second_client(app: Litestar) -> AsyncTestClient[Any]:
    client: AsyncTestClient[Any] = AsyncTestClient(app=app)
    await client.__aenter__()
    return client


async def test_certificate_photo_is_only_for_its_owner_and_admins(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    await signed_in_tailor(client)
    await onboard(client)
    await submit_certificate(client)
    photo = await Photo.select().where(Photo.kind == "certificate").first()
    url = f"/media/{photo['public_id']}/large.webp"
    assert (await client.get(url)).status_code == 200

    other = await second_client(app)
    try:
        assert (await other.get(url)).status_code == 404  # a visitor
        await signed_in_tailor(other, name="Ani Wulandari", phone="0813-1111-2222")
        assert (await other.get(url)).status_code == 404  # another tailor
        await Account.update({Account.role: "admin"}).where(Account.name == "Ani Wulandari")
        assert (await other.get(url)).status_code == 200  # an admin
    finally:
        await other.__aexit__(None, None, None)


async def test_portfolio_photo_of_another_tailor_cannot_be_removed(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    await signed_in_tailor(client)
    await post_multipart(
        client, "/onboarding/portfolio", {}, {"photo": ("p.jpg", jpeg_with_gps(), "image/jpeg")}
    )
    photo = await Photo.select().first()
    other = await second_client(app)
    try:
        await signed_in_tailor(other, name="Ani Wulandari", phone="0813-1111-2222")
        token = other.cookies["csrftoken"]
        response = await other.post(
            f"/onboarding/portfolio/{photo['public_id']}/delete", data={"_csrf_token": token}
        )
        assert response.status_code == 404
        assert await Photo.count() == 1
        # The portfolio itself is public, like the profile it belongs to.
        assert (await other.get(f"/media/{photo['public_id']}/small.webp")).status_code == 200
    finally:
        await other.__aexit__(None, None, None)


async def test_unverified_profile_is_hidden_from_others(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    account = await signed_in_tailor(client)
    await onboard(client)
    url = f"/tailors/{account['public_id']}"
    own = await client.get(url)
    assert own.status_code == 200
    assert "Belum terverifikasi" in own.text
    other = await second_client(app)
    try:
        assert (await other.get(url)).status_code == 404
        await TailorProfile.update({TailorProfile.verification: "verified"}).where(
            TailorProfile.account == account["id"]
        )
        public = await other.get(url)
        assert public.status_code == 200
        assert "Tersertifikasi SKKNI" in public.text
        assert "0812" not in public.text  # the phone number stays private
    finally:
        await other.__aexit__(None, None, None)


async def test_designers_cannot_use_tailor_onboarding(client: AsyncTestClient[Any]) -> None:
    await register(
        client, SoftAuthenticator(), role="designer", name="Dewi", phone="0812-9999-0000"
    )
    assert (await client.get("/onboarding/location")).status_code == 403
    token = client.cookies["csrftoken"]
    response = await client.post("/availability", data={"available": "on", "_csrf_token": token})
    assert response.status_code == 403


async def test_tailors_cannot_use_the_business_profile(client: AsyncTestClient[Any]) -> None:
    await signed_in_tailor(client)
    assert (await client.get("/business-profile")).status_code == 403


async def test_unverified_tailor_cannot_switch_on(client: AsyncTestClient[Any]) -> None:
    account = await signed_in_tailor(client)
    token = client.cookies["csrftoken"]
    response = await client.post("/availability", data={"available": "on", "_csrf_token": token})
    assert response.status_code == 409
    assert "harus diverifikasi dulu" in response.text
    profile = await TailorProfile.select().where(TailorProfile.account == account["id"]).first()
    assert profile["available"] is False
