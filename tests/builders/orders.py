"""Orders in each state of their life, moved along through the real services: a draft, open
(Penawaran or Langsung), with offers, assigned, in production at a stage, shipped, completed,
cancelled; and a whole deal between a designer and a tailor signed in on their own clients."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.designers.tables import DesignerProfile
from server.dispatch.rules import WAVE_RADII_KM
from server.media.tables import Photo
from server.notifications.tables import Notification
from server.orders.assignment.services import take
from server.orders.dispatching.waves import DispatchSettings, dispatch_next_wave
from server.orders.offers import services as orders
from server.orders.posting.forms import OrderForm, parse_order
from server.orders.posting.services import cancel, publish, save_draft
from server.orders.production import services as production
from server.orders.production.stages import Stage, actor_of, next_stage
from server.orders.records import OrderRecord
from server.orders.tables import Order, OrderEvent, Payment, PaymentStatus, Review
from server.tailors.tables import TailorProfile
from tests.builders.people import designer, sign_in_as, tailor
from tests.builders.places import KOTA_BANDUNG, today
from tests.helpers import post_multipart

Client = AsyncTestClient[Litestar]

# The order form as a designer sends it through the page.
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
# A draft's fields, as the form keeps them.
DRAFT = {
    "category": "kemeja",
    "title": "Kemeja linen",
    "description": "Kemeja lengan pendek, kain linen.",
    "fabric_by": "designer",
    "size_M": "24",
    "budget_per_piece": "60000",
    "deadline": (today() + timedelta(days=30)).isoformat(),
    "province": "32",
    "city": KOTA_BANDUNG,
    "mode": "bidding",
}


def order_form(
    *,
    category: str = "kemeja",
    quantity: int = 100,
    mode: str = "bidding",
    deadline: date | None = None,
    title: str = "Kemeja batik seragam kantor",
    budget_per_piece: int = 85_000,
) -> OrderForm:
    return OrderForm(
        category=category,
        title=title,
        description="Katun primisima, kerah tegak.",
        sizes={"M": quantity},
        custom_sizes="",
        fabric_by="designer",
        budget_per_piece=budget_per_piece,
        deadline=deadline or today() + timedelta(days=28),
        sample_first=False,
        city_code=KOTA_BANDUNG,
        mode=mode,
    )


async def published(
    designer_id: int, dispatch: DispatchSettings | None = None, **form: Any
) -> OrderRecord:
    """An order of `order_form(**form)` published: it opens and only its first wave goes out.
    Its whole record."""
    created = await publish(designer_id, order_form(**form), [], dispatch=dispatch)
    return await orders.open_order(created.public_id)


async def reach(order_id: int, km: int) -> None:
    """Time passes and nobody answers: dispatch widens, wave by wave, until the order has
    reached `km` (an order reaches tailors as far as its latest wave)."""
    for _wave in WAVE_RADII_KM:
        row = await Order.select(Order.dispatch_radius_km).where(Order.id == order_id).first()
        if row is None or row["dispatch_radius_km"] >= km:
            return
        await dispatch_next_wave(order_id)


# Each state of an order's life -----------------------------------------------------------------


async def order(
    designer_id: int,
    *,
    title: str = "Kemeja seragam kantor",
    category: str = "kemeja",
    city: str = KOTA_BANDUNG,
    mode: str = "bidding",
    sizes: dict[str, int] | None = None,
    budget: int = 45_000,
    days: int = 14,
    photo_ids: tuple[int, ...] = (),
    reach_km: int = 5,
) -> UUID:
    """Open: published the designer's way (Penawaran by default, `mode="direct"` for
    Langsung); `reach_km`: dispatch has since widened this far."""
    fields: dict[str, Any] = {
        "category": category,
        "title": title,
        "description": "Kemeja lengan panjang, kain katun.",
        "fabric_by": "designer",
        "budget_per_piece": str(budget),
        "deadline": (today() + timedelta(days=days)).isoformat(),
        "city": city,
        "mode": mode,
        **{f"size_{size}": str(count) for size, count in (sizes or {"M": 20, "L": 30}).items()},
    }
    row = await publish(designer_id, parse_order(fields, today()), list(photo_ids))
    await reach(row.id, reach_km)
    return row.public_id


async def draft(designer_id: int, **fields: str) -> UUID:
    """A draft the designer saved and has not published."""
    return await save_draft(designer_id, {**DRAFT, **fields}, None)


OFFER = orders.OfferForm(price_per_piece=42_000, ready_by=today() + timedelta(days=10), note="")


async def offer(
    tailor_id: int, public_id: UUID, price: int, days: int = 10, note: str = ""
) -> None:
    """The tailor's offer on an open Penawaran order."""
    form = orders.OfferForm(
        price_per_piece=price, ready_by=date.today() + timedelta(days=days), note=note
    )
    await orders.make_offer(tailor_id, public_id, form)


async def with_offers(designer_id: int, tailor_ids: list[int], **terms: Any) -> UUID:
    """An open Penawaran order each of these tailors has made an offer on."""
    public_id = await order(designer_id, **terms)
    for tailor_id in tailor_ids:
        await orders.make_offer(tailor_id, public_id, OFFER)
    return public_id


async def assigned(designer_id: int, tailor_id: int, **terms: Any) -> UUID:
    """A Langsung order the tailor took: assigned, payments due, nothing made yet."""
    public_id = await order(designer_id, mode="direct", **terms)
    await take(tailor_id, public_id)
    return public_id


async def in_production(
    designer_id: int,
    tailor_id: int,
    stage: Stage = Stage.CUTTING,
    *,
    title: str = "Seragam batik kantor",
    **terms: Any,
) -> UUID:
    """An assigned order moved along to `stage` by both parties (Stage.SHIPPED: shipped, the
    down payment confirmed on the way; Stage.COMPLETED: completed)."""
    public_id = await assigned(designer_id, tailor_id, title=title, **terms)
    await walk_to(public_id, designer_id, tailor_id, stage)
    return public_id


async def cancelled(designer_id: int, reason: str = "Tidak jadi.", **terms: Any) -> UUID:
    """An open order the designer cancelled before anyone was assigned."""
    public_id = await order(designer_id, **terms)
    await cancel(designer_id, public_id, reason)
    return public_id


async def confirm_down_payment(public_id: UUID) -> None:
    order_id = Order.select(Order.id).where(Order.public_id == public_id)
    await Payment.update({Payment.status: PaymentStatus.CONFIRMED}).where(
        (Payment.order.is_in(order_id)) & (Payment.kind == "dp")
    )


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


# Through the pages ------------------------------------------------------------------------------


async def client_for(stack: AsyncExitStack, app: Litestar) -> AsyncTestClient[Any]:
    """Another phone: a client of its own, closed with the test."""
    client: AsyncTestClient[Any] = await stack.enter_async_context(AsyncTestClient(app=app))
    return client


async def post_order(
    client: AsyncTestClient[Any],
    action: str,
    files: dict[str, Any] | None = None,
    **changes: Any,
) -> Any:
    """The order form sent from the page (`action`: "publish" or "draft")."""
    return await post_multipart(
        client, "/orders", {**ORDER, **changes, "action": action}, files or {}
    )


async def published_order(client: AsyncTestClient[Any], **changes: Any) -> dict[str, Any]:
    """An order published from the page by the designer signed in on `client`; its row."""
    response = await post_order(client, "publish", **changes)
    assert response.status_code == 303, response.text
    public_id = UUID(response.headers["location"].rsplit("/", 1)[-1])
    row: dict[str, Any] = await Order.select().where(Order.public_id == public_id).first()
    return row


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


async def member(client: Client, role: str, name: str, phone: str) -> int:
    """A designer, or a tailor ready for orders, signed in on `client` by a session cookie."""
    if role == "designer":
        account_id = await designer(name, phone, city=None)
    else:
        account_id = await tailor(name, phone, skills=("kemeja", "seragam"), capacity=1000)
    await sign_in_as(client, account_id)
    return account_id


async def deal(
    stack: AsyncExitStack, app: Litestar, *, sample_first: bool = False, **order_fields: Any
) -> Deal:
    """A Langsung order taken by a tailor: assigned, confirmed, payments due. A third client is
    signed in as another tailor (who must see nothing of it)."""
    clients = [await client_for(stack, app) for _ in range(3)]
    designer_id = await member(clients[0], "designer", "Dewi Kirana", "0813-5555-0000")
    tailor_id = await member(clients[1], "tailor", "Siti Rahayu", "0812-1000-0001")
    await member(clients[2], "tailor", "Rina Lestari", "0812-1000-0002")
    public_id = await order(designer_id, mode="direct", **order_fields)
    if sample_first:
        await Order.update({Order.sample_first: True}).where(Order.public_id == public_id)
    await take(tailor_id, public_id)
    return Deal(clients[0], clients[1], clients[2], designer_id, tailor_id, public_id)


async def move_to(deal: Deal, target: Stage) -> None:
    await walk_to(deal.public_id, deal.designer_id, deal.tailor_id, target)


async def state_of(deal: Deal) -> tuple[Any, ...]:
    """Everything a refused action must leave untouched: the order's stage, status and revision,
    its events, its payments, the reviews and both parties' ratings, and how many alerts and
    photos there are."""
    row = await deal.row()
    payments = await Payment.select().where(Payment.order == row["id"]).order_by(Payment.kind)
    tailor = await TailorProfile.select().where(TailorProfile.account == deal.tailor_id).first()
    designer = (
        await DesignerProfile.select().where(DesignerProfile.account == deal.designer_id).first()
    )
    return (
        (row["stage"], row["status"], row["revision"]),
        await OrderEvent.count().where(OrderEvent.order == row["id"]),
        tuple((p["kind"], p["status"], p["amount"], p["proof"]) for p in payments),
        await Review.count(),
        (tailor["rating_average"], tailor["rating_count"]),
        (designer["rating_average"], designer["rating_count"]),
        await Notification.count(),
        await Photo.count(),
    )
