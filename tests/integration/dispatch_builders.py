"""Builders for dispatch and order tests: rows written directly, placed by distance from the
centre of Kota Bandung (where orders are picked up)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import h3

from server import regions
from server.accounts.services import new_webauthn_user_id
from server.accounts.tables import Account, Role
from server.designers.tables import DesignerProfile
from server.dispatch.rules import WAVE_RADII_KM
from server.notifications.tables import NotificationPreference, PushSubscription
from server.orders.dispatching.waves import DispatchSettings, dispatch_next_wave
from server.orders.offers import services as orders
from server.orders.posting.forms import OrderForm
from server.orders.posting.services import publish
from server.orders.records import OrderRecord
from server.orders.tables import Order
from server.tailors.services import H3_RESOLUTION, today
from server.tailors.tables import TailorProfile, TailorSkill

KOTA_BANDUNG = "32.73"
KM_PER_DEGREE_LATITUDE = 111.195
_phones = itertools.count(1)


def bandung() -> regions.City:
    city = regions.city(KOTA_BANDUNG)
    assert city is not None
    return city


def north_of_bandung(km: float) -> tuple[float, float]:
    city = bandung()
    return round(city.latitude + km / KM_PER_DEGREE_LATITUDE, 5), city.longitude


async def account(role: str, name: str) -> int:
    rows = await Account.insert(
        Account(
            role=role,
            name=name,
            phone=f"+62813{next(_phones):08d}",
            webauthn_user_id=new_webauthn_user_id(),
        )
    ).returning(Account.id)
    return int(rows[0]["id"])


async def designer(name: str = "Rina Desainer", business: str = "Batik Kirana") -> int:
    account_id = await account(Role.DESIGNER, name)
    await DesignerProfile.insert(
        DesignerProfile(account=account_id, business_name=business, city_code=KOTA_BANDUNG)
    )
    return account_id


async def tailor(
    km: float = 2.0,
    *,
    name: str | None = None,
    skills: tuple[str, ...] = ("kemeja",),
    verification: str = "verified",
    available: bool = True,
    radius_km: int = 50,
    weekly_capacity: int = 500,
    minimum_order: int = 1,
    rating: float | None = None,
    status: str = "active",
    account_id: int | None = None,
) -> int:
    """A tailor `km` north of the pickup point who passes every dispatch rule by default."""
    if account_id is None:
        account_id = await account(Role.TAILOR, name or f"Penjahit {km:g} km")
        await Account.update({Account.status: status}).where(Account.id == account_id)
    latitude, longitude = north_of_bandung(km)
    rows = await TailorProfile.insert(
        TailorProfile(
            account=account_id,
            province_code="32",
            city_code=KOTA_BANDUNG,
            latitude=latitude,
            longitude=longitude,
            h3_cell=h3.latlng_to_cell(latitude, longitude, H3_RESOLUTION),
            service_radius_km=radius_km,
            weekly_capacity=weekly_capacity,
            minimum_order=minimum_order,
            available=available,
            verification=verification,
            certificate_expires_on=today() + timedelta(days=365),
            rating_average=rating,
        )
    ).returning(TailorProfile.id)
    if skills:
        await TailorSkill.insert(
            *[TailorSkill(profile=rows[0]["id"], category=skill) for skill in skills]
        )
    return account_id


async def subscribe(account_id: int) -> None:
    """A phone that receives pushes (the endpoint is never called in these tests)."""
    await PushSubscription.insert(
        PushSubscription(
            account=account_id,
            endpoint=f"https://push.invalid/{account_id}",
            p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            auth="tBHItJI5svbpez7KI4CCXg",
        )
    )


async def prefer(account_id: int, *, disabled: str = "[]", per_hour: int = 10) -> None:
    await NotificationPreference.insert(
        NotificationPreference(
            account=account_id,
            disabled_kinds=disabled,
            quiet_start="00:00",
            quiet_end="00:00",
            new_orders_per_hour=per_hour,
        )
    )


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
    """An order published the designer's way: it opens and its first wave goes out."""
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
