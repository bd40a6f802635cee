"""The home page says where a person stands: a verified tailor's badge, a designer's next step."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.designers.tables import DesignerProfile
from server.media.tables import Photo
from server.tailors.services import save_bio
from tests.builders.orders import order
from tests.builders.passkeys import register
from tests.builders.people import signed_in_tailor, tailor
from tests.helpers import indonesian
from tests.webauthn_device import SoftAuthenticator

BOTH_NEXT = (
    "You are registered as a designer or brand. Next: your business profile, then your first order."
)
PROFILE_NEXT = "Next: your business profile, so tailors know who they sew for."
ORDER_NEXT = "Next: your first order. Certified tailors nearby are alerted within seconds."
NEXT_STEPS = (BOTH_NEXT, PROFILE_NEXT, ORDER_NEXT)


async def test_a_verified_tailor_reads_it_once_with_the_badge(client: AsyncTestClient[Any]) -> None:
    account_id = (await signed_in_tailor(client, "Siti Rahayu", "0812-3456-7890", onboarded=True))[
        "id"
    ]
    await tailor(account_id=account_id)
    await save_bio(account_id, "Penjahit seragam sejak 2010.")
    await Photo.insert(
        Photo(owner=account_id, kind="portfolio", width=1, height=1, small_width=1, small_height=1)
    )
    home = (await client.get("/home")).text
    assert home.lower().count("terverifikasi") == 1
    assert f"{indonesian('SKKNI certified')}</span>" in home
    assert '<span class="badge ok">' in home
    assert "Sertifikat Anda terverifikasi sampai" in home


async def test_a_tailor_waiting_for_verification_is_not_called_verified(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_tailor(
        client, "Siti Rahayu", "0812-3456-7890", onboarded=True, verification="pending"
    )
    home = (await client.get("/home")).text
    assert "terverifikasi" not in home.lower()
    assert indonesian("SKKNI certified") not in home


async def designer_home(client: AsyncTestClient[Any]) -> int:
    await register(
        client, SoftAuthenticator(), role="designer", name="Dewi", phone="0813-1111-2222"
    )
    account = await Account.select(Account.id).where(Account.name == "Dewi").first()
    return int(account["id"])


async def next_steps_on_home(client: AsyncTestClient[Any]) -> list[str]:
    home = (await client.get("/home")).text
    assert indonesian("Post an order") in home  # the way to an order is always there
    return [message for message in NEXT_STEPS if indonesian(message) in home]


async def test_a_new_designer_is_told_both_first_steps(client: AsyncTestClient[Any]) -> None:
    await designer_home(client)
    assert await next_steps_on_home(client) == [BOTH_NEXT]


async def test_with_the_profile_done_only_the_first_order_is_next(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await designer_home(client)
    await DesignerProfile.insert(DesignerProfile(account=account_id, business_name="Batik Kirana"))
    assert await next_steps_on_home(client) == [ORDER_NEXT]


async def test_with_an_order_but_no_profile_only_the_profile_is_next(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await designer_home(client)
    await order(account_id)
    assert await next_steps_on_home(client) == [PROFILE_NEXT]


async def test_with_both_done_no_next_steps_line_is_left(client: AsyncTestClient[Any]) -> None:
    account_id = await designer_home(client)
    await DesignerProfile.insert(DesignerProfile(account=account_id, business_name="Batik Kirana"))
    await order(account_id)
    assert await next_steps_on_home(client) == []
