"""Builders for the tailor side of orders: designers who publish, tailors ready to work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.designers.tables import DesignerProfile
from server.orders.posting.forms import parse_order
from server.orders.posting.services import publish
from server.tailors import services as tailors
from server.tailors.tables import TailorProfile, Verification
from tests.helpers import post_form
from tests.integration.dispatch_builders import reach
from tests.integration.passkey_flows import register
from tests.webauthn_device import SoftAuthenticator

KOTA_BANDUNG = "32.73"  # 0 km from BANDUNG
KOTA_CIMAHI = "32.77"  # about 9.8 km
BANDUNG_BARAT = "32.17"  # about 14.5 km
SUMEDANG = "32.11"  # about 33.9 km
BANDUNG = ("-6.9175", "107.6191")  # the centre of Kota Bandung


def today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()


async def ready_to_work(
    account_id: int,
    *,
    skills: tuple[str, ...] = ("kemeja",),
    radius: int = 20,
    capacity: int = 500,
    minimum_order: int = 1,
) -> None:
    """A signed-up tailor placed in Kota Bandung with their work, certificate verified for a
    year and "ready for orders" switched on, through the services the onboarding uses."""
    await tailors.save_location(account_id, city_code=KOTA_BANDUNG)
    await tailors.save_work(
        account_id,
        skills=list(skills),
        equipment=["mesin_jahit"],
        radius=str(radius),
        capacity=str(capacity),
        minimum_order=str(minimum_order),
    )
    await TailorProfile.update(
        {
            TailorProfile.verification: Verification.VERIFIED,
            TailorProfile.certificate_expires_on: today() + timedelta(days=365),
            TailorProfile.available: True,
        }
    ).where(TailorProfile.account == account_id)


async def designer(client: AsyncTestClient[Any], name: str = "Dewi Kirana") -> int:
    await register(client, SoftAuthenticator(), role="designer", name=name, phone="0813-5555-0000")
    account = await Account.select(Account.id).where(Account.name == name).first()
    await DesignerProfile.insert(
        DesignerProfile(account=account["id"], business_name="Batik Kirana", business_type="brand")
    )
    return int(account["id"])


async def tailor(
    client: AsyncTestClient[Any],
    name: str,
    phone: str,
    *,
    at: tuple[str, str] = BANDUNG,
    skills: tuple[str, ...] = ("kemeja", "seragam"),
    radius: int = 50,
    minimum_order: int = 1,
    verified: bool = True,
    available: bool = True,
) -> int:
    """A tailor signed in on `client`, located, skilled, and (by default) ready to work."""
    await register(client, SoftAuthenticator(), role="tailor", name=name, phone=phone)
    await post_form(client, "/onboarding/location", {"latitude": at[0], "longitude": at[1]})
    await post_form(
        client,
        "/onboarding/work",
        {
            "skills": list(skills),
            "equipment": ["mesin_jahit"],
            "radius": str(radius),
            "capacity": "1000",
            "minimum_order": str(minimum_order),
        },
    )
    account = await Account.select(Account.id).where(Account.name == name).first()
    await TailorProfile.update(
        {
            TailorProfile.verification: (
                Verification.VERIFIED if verified else Verification.PENDING
            ),
            TailorProfile.certificate_expires_on: today() + timedelta(days=365),
            TailorProfile.available: available,
        }
    ).where(TailorProfile.account == account["id"])
    return int(account["id"])


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
    """Published the designer's way; `reach_km`: dispatch has since widened this far."""
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
