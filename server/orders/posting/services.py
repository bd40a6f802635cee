"""Posting an order and taking it down: drafts, publishing (which starts its dispatch), the
designer's own order, cancelling an open order, and orders whose deadline passed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import h3
from piccolo.columns.combination import Combinable

from server import regions
from server.clock import now
from server.db import transaction
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
from server.notifications.services import notify
from server.orders.alerts import (
    cancelled_alert,
)
from server.orders.dispatching.waves import DispatchSettings, dispatch_next_wave
from server.orders.posting.drafts import DraftFields, draft_fields
from server.orders.posting.forms import (
    OrderError,
    OrderForm,
)
from server.orders.records import OrderRecord
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderDraft,
    OrderPhoto,
    OrderStatus,
)
from server.tailors.services import H3_RESOLUTION
from server.web.forms import FormFields

PHOTO_MAX = 4


@dataclass(frozen=True)
class ReferencePhoto:
    """A reference photo of an order (or of the form being written), as the pages show it."""

    id: int
    public_id: UUID
    owner: int
    small_width: int
    small_height: int


async def reference_photos(where: Combinable) -> list[ReferencePhoto]:
    rows = await Photo.select(
        Photo.id, Photo.public_id, Photo.owner, Photo.small_width, Photo.small_height
    ).where(where)
    return [
        ReferencePhoto(
            id=row["id"],
            public_id=row["public_id"],
            owner=row["owner"],
            small_width=row["small_width"],
            small_height=row["small_height"],
        )
        for row in rows
    ]


async def save_draft(designer_id: int, data: FormFields, draft_id: UUID | None) -> UUID:
    fields = draft_fields(data)
    if draft_id is not None:
        rows = await (
            OrderDraft.update({OrderDraft.data: json.dumps(fields), OrderDraft.updated_at: now()})
            .where((OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id))
            .returning(OrderDraft.public_id)
        )
        if rows:
            return UUID(str(rows[0]["public_id"]))
    rows = await OrderDraft.insert(
        OrderDraft(designer=designer_id, data=json.dumps(fields))
    ).returning(OrderDraft.public_id)
    return UUID(str(rows[0]["public_id"]))


async def draft_data(designer_id: int, draft_id: UUID) -> DraftFields | None:
    """What the designer's draft holds (see drafts.draft_fields), None when it is not theirs."""
    row = (
        await OrderDraft.select(OrderDraft.data)
        .where((OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id))
        .first()
    )
    if row is None:
        return None
    data = row["data"]
    loaded: DraftFields = json.loads(data) if isinstance(data, str) else data
    return loaded


async def publish(
    designer_id: int,
    form: OrderForm,
    photo_ids: list[int],
    draft_id: UUID | None = None,
    dispatch: DispatchSettings | None = None,
) -> OrderRecord:
    """The order opens and its first wave of alerts goes out, in one transaction."""
    city = regions.city(form.city_code)
    assert city is not None
    async with transaction():
        rows = await Order.insert(
            Order(
                designer=designer_id,
                category=form.category,
                title=form.title,
                description=form.description,
                quantity=form.quantity,
                sizes=json.dumps({**form.sizes, "custom": form.custom_sizes}),
                fabric_by=form.fabric_by,
                budget_per_piece=form.budget_per_piece,
                deadline=form.deadline,
                sample_first=form.sample_first,
                province_code=city.province_code,
                city_code=city.code,
                latitude=city.latitude,
                longitude=city.longitude,
                h3_cell=h3.latlng_to_cell(city.latitude, city.longitude, H3_RESOLUTION),
                mode=form.mode,
                status=OrderStatus.OPEN,
                published_at=now(),
            )
        ).returning(*OrderRecord.columns())
        order = OrderRecord.from_row(rows[0])
        for photo_id in photo_ids[:PHOTO_MAX]:
            await OrderPhoto.insert(OrderPhoto(order=order.id, photo=photo_id))
        if draft_id is not None:
            await OrderDraft.delete().where(
                (OrderDraft.public_id == draft_id) & (OrderDraft.designer == designer_id)
            )
        await dispatch_next_wave(order.id, dispatch)
    return order


async def designer_order(designer_id: int, public_id: UUID) -> OrderRecord | None:
    row = (
        await Order.select(*OrderRecord.columns())
        .where((Order.public_id == public_id) & (Order.designer == designer_id))
        .first()
    )
    return None if row is None else OrderRecord.from_row(row)


async def cancel(designer_id: int, public_id: UUID, reason: str) -> None:
    """Only while nobody is assigned; every tailor with a live offer is told."""
    async with transaction():
        rows = await (
            Order.update(
                {
                    Order.status: OrderStatus.CANCELLED,
                    Order.next_wave_at: None,
                    Order.cancel_reason: reason,
                }
            )
            .where(
                (Order.public_id == public_id)
                & (Order.designer == designer_id)
                & (Order.status == OrderStatus.OPEN)
            )
            .returning(Order.id, Order.title)
        )
        if not rows:
            raise OrderError("not_open")
        order = rows[0]
        offers = await Offer.select(Offer.tailor).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        await Offer.update({Offer.status: OfferStatus.DECLINED}).where(
            (Offer.order == order["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        for offer in offers:
            await notify(
                offer["tailor"], AlertKind.OFFER, cancelled_alert(order["title"], public_id)
            )


async def expire_orders(today: date) -> list[int]:
    """Open orders whose deadline passed without a tailor: expired (the worker runs this)."""
    rows = await (
        Order.update({Order.status: OrderStatus.EXPIRED, Order.next_wave_at: None})
        .where((Order.status == OrderStatus.OPEN) & (Order.deadline < today))
        .returning(Order.id)
    )
    return [int(row["id"]) for row in rows]


# Read by every order page: raw SQL written once, where Piccolo would build the subquery again.
ORDER_PHOTOS_SQL = (
    "SELECT id, public_id, owner, small_width, small_height FROM photo"
    ' WHERE id IN (SELECT photo FROM order_photo WHERE "order" = {}) ORDER BY id'
)


async def order_photos(order_id: int) -> list[ReferencePhoto]:
    return [ReferencePhoto(**row) for row in await Photo.raw(ORDER_PHOTOS_SQL, order_id)]


# Read on every visit to the designer's home: the statement written once.
HAS_POSTED = f"""
SELECT EXISTS (SELECT 1 FROM "{Order._meta.tablename}" WHERE designer = {{}}) AS found
"""  # noqa: S608 (the table's name)


async def has_posted(designer_id: int) -> bool:
    """Whether the designer has ever posted an order (a draft does not count)."""
    rows = await Order.raw(HAS_POSTED, designer_id)
    return bool(rows[0]["found"])
