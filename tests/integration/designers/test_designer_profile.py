from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server.designers.tables import DesignerProfile
from server.media.tables import Photo
from tests.builders.passkeys import register
from tests.helpers import post_multipart
from tests.images import jpeg_with_gps
from tests.webauthn_device import SoftAuthenticator

PROFILE = {
    "business_name": "Batik Kirana",
    "business_type": "brand",
    "city": "34.71",
    "description": "Batik tulis modern dari Yogyakarta.",
}


async def signed_in_designer(client: AsyncTestClient[Any]) -> None:
    await register(
        client, SoftAuthenticator(), role="designer", name="Dewi", phone="0812-9999-0000"
    )


async def test_business_profile_with_logo_is_saved(client: AsyncTestClient[Any]) -> None:
    await signed_in_designer(client)
    response = await post_multipart(
        client, "/business-profile", PROFILE, {"logo": ("logo.jpg", jpeg_with_gps(), "image/jpeg")}
    )
    assert response.status_code == 303
    profile = await DesignerProfile.select().first()
    assert (profile["business_name"], profile["business_type"], profile["city_code"]) == (
        "Batik Kirana",
        "brand",
        "34.71",
    )
    assert profile["province_code"] == "34"
    logo = await Photo.select().where(Photo.id == profile["logo"]).first()
    assert logo["kind"] == "logo"
    page = await client.get("/business-profile")
    assert f"/media/{logo['public_id']}/small.webp" in page.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"business_name": "x"}, "Isi kolom ini"),
        ({"business_type": "bank"}, "Pilih dari daftar."),
        ({"city": ""}, "Pilih provinsi dan kota Anda."),
        ({"description": "y" * 601}, "Teks itu terlalu panjang."),
    ],
)
async def test_bad_business_profile_is_refused_and_nothing_saved(
    client: AsyncTestClient[Any], change: dict[str, str], message: str
) -> None:
    await signed_in_designer(client)
    response = await post_multipart(client, "/business-profile", {**PROFILE, **change}, {})
    assert response.status_code == 400
    assert message in response.text
    profile = await DesignerProfile.select().first()
    assert profile is None or profile["business_name"] == ""


async def test_non_image_logo_is_refused(client: AsyncTestClient[Any]) -> None:
    await signed_in_designer(client)
    response = await post_multipart(
        client, "/business-profile", PROFILE, {"logo": ("logo.svg", b"<svg/>", "image/svg+xml")}
    )
    assert response.status_code == 400
    assert "Berkas itu bukan foto" in response.text
    assert await Photo.count() == 0
