"""Forms that swap part of themselves: each htmx answer is exactly the part its form targets.

A field that loads a list (a province's cities, a filtered list) names a target; the server must
answer with that element alone, so the rest of the page, and what was typed in it, stays.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders.passkeys import register
from tests.builders.people import signed_in_admin, signed_in_tailor
from tests.webauthn_device import SoftAuthenticator


class Swappers(HTMLParser):
    """Every element with hx-get that swaps a target: (hx-get, hx-target, hx-swap)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, tuple[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if "hx-get" in named and "hx-target" in named:
            key = named.get("id") or named["hx-get"]
            self.found[key] = (named["hx-target"], named.get("hx-swap", "innerHTML"))


def swappers(html: str) -> dict[str, tuple[str, str]]:
    parser = Swappers()
    parser.feed(html)
    return parser.found


def root_id(fragment: str) -> str:
    match = re.match(r'\s*<\w+[^>]*\bid="([^"]+)"', fragment)
    return match.group(1) if match else ""


async def assert_swaps_in_place(
    client: AsyncTestClient[Any], page_url: str, swapper: str, query: str
) -> str:
    """The swapper targets one element by id, outerHTML; the answer is that element alone."""
    page = await client.get(page_url)
    assert page.status_code == 200
    target, swap = swappers(page.text)[swapper]
    assert target.startswith("#") and target != "#main", target
    assert swap == "outerHTML"
    assert f'id="{target[1:]}"' in page.text
    url = page_url.split("?")[0] + "?" + query
    fragment = await client.get(url, headers={"HX-Request": "true", "HX-Target": target[1:]})
    assert fragment.status_code == 200
    assert root_id(fragment.text) == target[1:]
    assert "<header" not in fragment.text and "<html" not in fragment.text
    return fragment.text


async def signed_in_designer(client: AsyncTestClient[Any]) -> None:
    await register(
        client, SoftAuthenticator(), role="designer", name="Dewi", phone="0812-9999-0000"
    )


async def test_business_profile_province_swaps_only_the_city_list(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_designer(client)
    fragment = await assert_swaps_in_place(client, "/business-profile", "province", "province=32")
    assert "Kota Bandung" in fragment
    assert 'name="business_name"' not in fragment


async def test_business_profile_without_javascript_keeps_what_was_typed(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_designer(client)
    typed = "business_name=Batik+Dewi&business_type=industry&province=32&description=Seragam+kantor"
    page = await client.get(f"/business-profile?{typed}")
    assert page.status_code == 200
    assert "<header" in page.text and "Kota Bandung" in page.text
    assert 'value="Batik Dewi"' in page.text
    assert re.search(r'value="industry"\s+checked', page.text)
    assert ">Seragam kantor</textarea>" in page.text


async def test_order_form_province_swaps_only_the_city_list(client: AsyncTestClient[Any]) -> None:
    await signed_in_designer(client)
    fragment = await assert_swaps_in_place(client, "/orders/new", "province", "province=32")
    assert "Kota Bandung" in fragment
    assert 'name="title"' not in fragment


async def test_onboarding_province_swaps_only_the_location_step(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_tailor(client)
    fragment = await assert_swaps_in_place(
        client, "/onboarding/location", "province", "province=32"
    )
    # The step holds the province and the city only: nothing typed elsewhere is replaced.
    assert "Kota Bandung" in fragment
    assert re.search(r'value="32"\s+selected', fragment)


async def test_admin_filters_swap_only_their_results(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    fragment = await assert_swaps_in_place(
        client, "/admin/tailors", "/admin/tailors", "province=32"
    )
    assert 'id="filter-city" name="city" hx-swap-oob="true"' in fragment  # the cities, in place
    assert "Kota Bandung" in fragment
    fragment = await assert_swaps_in_place(client, "/admin/accounts", "/admin/accounts", "q=Budi")
    assert "Budi Admin" in fragment
    assert 'id="account-search"' not in fragment  # the search box keeps its text and focus
