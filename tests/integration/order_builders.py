"""Builders for the designer's side of orders: signed-in people on their own clients, a form
that passes, published orders and offers made through the real services."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, Role
from server.orders.offers import services
from server.orders.tables import Order
from server.tailors.tables import TailorProfile, Verification
from tests.integration.passkey_flows import register
from tests.integration.profiles import (
    KOTA_BANDUNG,
    complete_profile,
    post_multipart,
    signed_in_tailor,
)
from tests.webauthn_device import SoftAuthenticator

ORDER: dict[str, str] = {
    "category": "kemeja",
    "title": "Kemeja batik seragam kantor",
    "description": "Katun, lengan panjang, kancing kayu.",
    "size_S": "10",
    "size_M": "20",
    "size_L": "15",
    "size_XL": "5",
    "custom_sizes": "2 potong ukuran khusus",
    "fabric_by": "designer",
    "budget_per_piece": "45.000",
    "deadline": (date.today() + timedelta(days=21)).isoformat(),
    "sample_first": "1",
    "province": "32",
    "city": KOTA_BANDUNG,
    "mode": "bidding",
}


async def client_for(stack: AsyncExitStack, app: Litestar) -> AsyncTestClient[Any]:
    client: AsyncTestClient[Any] = await stack.enter_async_context(AsyncTestClient(app=app))
    return client


async def sign_up(client: AsyncTestClient[Any], role: str, name: str, phone: str) -> dict[str, Any]:
    await register(client, SoftAuthenticator(), role=role, name=name, phone=phone)
    account: dict[str, Any] = await Account.select().where(Account.name == name).first()
    return account


async def signed_in_admin(client: AsyncTestClient[Any]) -> dict[str, Any]:
    account = await sign_up(client, "tailor", "Budi Admin", "0814-5555-0000")
    await Account.update({Account.role: Role.ADMIN}).where(Account.id == account["id"])
    return account


async def ready_tailor(
    client: AsyncTestClient[Any], name: str, phone: str, **profile: Any
) -> dict[str, Any]:
    """A tailor in Kota Bandung who sews shirts, verified and switched on."""
    account = await signed_in_tailor(client, name=name, phone=phone)
    await complete_profile(client)
    await TailorProfile.update(
        {
            TailorProfile.verification: Verification.VERIFIED,
            TailorProfile.certificate_expires_on: date.today() + timedelta(days=700),
            TailorProfile.available: True,
            **{getattr(TailorProfile, key): value for key, value in profile.items()},
        }
    ).where(TailorProfile.account == account["id"])
    return account


async def post_order(
    client: AsyncTestClient[Any],
    action: str,
    files: dict[str, Any] | None = None,
    **changes: Any,
) -> Any:
    return await post_multipart(
        client, "/orders", {**ORDER, **changes, "action": action}, files or {}
    )


async def published_order(client: AsyncTestClient[Any], **changes: Any) -> dict[str, Any]:
    response = await post_order(client, "publish", **changes)
    assert response.status_code == 303, response.text
    public_id = UUID(response.headers["location"].rsplit("/", 1)[-1])
    order: dict[str, Any] = await Order.select().where(Order.public_id == public_id).first()
    return order


async def offer(
    tailor: dict[str, Any], order: dict[str, Any], price: int, days: int = 10, note: str = ""
) -> None:
    form = services.OfferForm(
        price_per_piece=price, ready_by=date.today() + timedelta(days=days), note=note
    )
    await services.make_offer(tailor["id"], order["public_id"], form)
