"""Builders for orders after assignment: a designer and a tailor, each on their own client, and
an order between them moved along through the real services."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import insert_account, new_webauthn_user_id, validate_registration
from server.auth.sessions import SESSION_COOKIE, start_session
from server.designers.tables import DesignerProfile
from server.orders.assignment.services import take
from server.orders.production import services as production
from server.orders.production.stages import Stage, actor_of, next_stage
from server.orders.tables import Order, Payment, PaymentStatus
from tests.integration.tailor_order_builders import order, ready_to_work

Client = AsyncTestClient[Litestar]


@dataclass
class Deal:
    """An order in production: who is who, and the clients they are signed in on."""

    designer_client: Client
    tailor_client: Client
    outsider_client: Client
    designer_id: int
    tailor_id: int
    public_id: UUID

    @property
    def url(self) -> str:
        return f"/orders/{self.public_id}"

    async def row(self) -> dict[str, Any]:
        row: dict[str, Any] = await Order.select().where(Order.public_id == self.public_id).first()
        return row


async def signed_up(role: str, name: str, phone: str) -> tuple[int, str]:
    """A new account and the session token of a device signed in to it, as after a passkey
    sign-in (the ceremony itself is tested in the passkey tests)."""
    registration = validate_registration(role, name, phone, admin=True)
    account_id = await insert_account(registration, new_webauthn_user_id())
    return account_id, await start_session(account_id, "Chrome on Android", "passkey")


async def member(client: Client, role: str, name: str, phone: str) -> int:
    """An account signed in on `client` through a session row and its cookie."""
    account_id, token = await signed_up(role, name, phone)
    client.cookies.set(SESSION_COOKIE, token)
    if role == "designer":
        await DesignerProfile.insert(
            DesignerProfile(account=account_id, business_name="Batik Kirana", business_type="brand")
        )
    else:
        await ready_to_work(account_id, skills=("kemeja", "seragam"), radius=50, capacity=1000)
    return account_id


async def deal(
    stack: AsyncExitStack, app: Litestar, *, sample_first: bool = False, **order_fields: Any
) -> Deal:
    """A Langsung order taken by a tailor: assigned, confirmed, payments due. A third client is
    signed in as another tailor (who must see nothing of it)."""
    clients = [await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(3)]
    designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
    tailor_id = await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
    await member(clients[2], "tailor", "Rina Lestari", "0812-1000-0002")
    public_id = await order(designer_id, mode="direct", **order_fields)
    if sample_first:
        await Order.update({Order.sample_first: True}).where(Order.public_id == public_id)
    await take(tailor_id, public_id)
    return Deal(clients[0], clients[1], clients[2], designer_id, tailor_id, public_id)


async def confirm_down_payment(public_id: UUID) -> None:
    order_id = Order.select(Order.id).where(Order.public_id == public_id)
    await Payment.update({Payment.status: PaymentStatus.CONFIRMED}).where(
        (Payment.order.is_in(order_id)) & (Payment.kind == "dp")
    )


async def move_to(deal: Deal, target: Stage) -> None:
    await walk_to(deal.public_id, deal.designer_id, deal.tailor_id, target)


async def walk_to(public_id: UUID, designer_id: int, tailor_id: int, target: Stage) -> None:
    """Walk the order through every stage up to `target` as its parties would (the down
    payment is confirmed on the way when shipping is reached)."""
    while True:
        row = await Order.select().where(Order.public_id == public_id).first()
        if row["stage"] == target:
            return
        upcoming = next_stage(row["stage"], row["sample_first"])
        assert upcoming is not None, f"{target} is not ahead of {row['stage']}"
        if upcoming == Stage.SHIPPED:
            await confirm_down_payment(public_id)
        actor = designer_id if actor_of(upcoming) == "designer" else tailor_id
        await production.advance(
            public_id, actor, upcoming, courier="JNE", tracking_number="JNE123456789"
        )
