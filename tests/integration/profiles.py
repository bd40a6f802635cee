"""Builders for tailors and their profiles, through the real HTTP routes."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from tests.helpers import csrf_token, post_form
from tests.images import jpeg_with_gps
from tests.integration.passkey_flows import register
from tests.webauthn_device import SoftAuthenticator

KOTA_BANDUNG = "32.73"


async def signed_in_tailor(
    client: AsyncTestClient[Any], name: str = "Siti Rahayu", phone: str = "0812-3456-7890"
) -> dict[str, Any]:
    await register(client, SoftAuthenticator(), role="tailor", name=name, phone=phone)
    account: dict[str, Any] = await Account.select().where(Account.name == name).first()
    return account


async def post_multipart(
    client: AsyncTestClient[Any],
    url: str,
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes, str]],
    **kwargs: Any,
) -> Any:
    token = await csrf_token(client)
    return await client.post(
        url, data={**fields, "_csrf_token": token}, files=files, follow_redirects=False, **kwargs
    )


async def complete_profile(client: AsyncTestClient[Any]) -> None:
    await post_form(client, "/onboarding/location", {"city": KOTA_BANDUNG})
    await post_form(
        client,
        "/onboarding/work",
        {
            "skills": ["kemeja", "seragam"],
            "equipment": ["mesin_jahit", "obras"],
            "radius": "15",
            "capacity": "200",
            "minimum_order": "10",
        },
    )


CERTIFICATE = {
    "number": "KPJ.123.00456.2025",
    "scheme": "SKKNI Industri Pakaian Jadi",
    "issuer": "LSP Garmen Indonesia",
    "issued_on": "2025-03-01",
    "expires_on": "2028-03-01",
}


async def submit_certificate(client: AsyncTestClient[Any], **overrides: str) -> Any:
    return await post_multipart(
        client,
        "/onboarding/certificate",
        {**CERTIFICATE, **overrides},
        {"photo": ("certificate.jpg", jpeg_with_gps(), "image/jpeg")},
    )
