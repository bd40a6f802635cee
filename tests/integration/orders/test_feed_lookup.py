"""The feed's indexed lookup finds exactly what a scan of every order would, in the same order."""

from __future__ import annotations

import dataclasses
import json
import math
import random
from datetime import timedelta
from typing import Any

import h3

from server.dispatch.rules import WAVE_RADII_KM
from server.orders.offers.feed import nearby_orders
from server.orders.tables import Order
from server.regions import haversine_km
from server.tailors.services import H3_RESOLUTION, today
from server.tailors.tables import TailorProfile, TailorSkill
from tests.builders.people import account, designer, tailor
from tests.builders.places import bandung

CATEGORIES = ("kemeja", "kaos", "gamis", "batik")


def scattered(rng: random.Random, within_km: float) -> tuple[float, float]:
    city = bandung()
    km, bearing = within_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (
        round(city.latitude + km / 111.195 * math.cos(bearing), 4),
        round(
            city.longitude
            + km / 111.195 * math.sin(bearing) / math.cos(math.radians(city.latitude)),
            4,
        ),
    )


async def scatter_orders(owner: int, count: int, rng: random.Random) -> None:
    rows = []
    for number in range(count):
        latitude, longitude = scattered(rng, 60)
        rows.append(
            Order(
                designer=owner,
                category=rng.choice(CATEGORIES),
                title=f"Order {number}",
                quantity=rng.choice((5, 20, 100)),
                sizes=json.dumps({"M": 1}),
                budget_per_piece=50_000,
                deadline=today() + timedelta(days=rng.randint(-3, 30)),
                province_code="32",
                city_code="32.73",
                latitude=latitude,
                longitude=longitude,
                h3_cell=h3.latlng_to_cell(latitude, longitude, H3_RESOLUTION),
                status=rng.choice(("open", "open", "open", "assigned", "expired")),
                dispatch_radius_km=rng.choice(WAVE_RADII_KM),
            )
        )
    await Order.insert(*rows)


async def expected(tailor_id: int, orders: list[dict[str, Any]]) -> list[tuple[float, int]]:
    """Every order checked one by one, the slow way (these tailors are verified, with room)."""
    profile = await TailorProfile.select().where(TailorProfile.account == tailor_id).first()
    assert profile is not None
    skills = {
        row["category"]
        for row in await TailorSkill.select().where(TailorSkill.profile == profile["id"])
    }
    found = []
    for order in orders:
        distance = haversine_km(
            profile["latitude"], profile["longitude"], order["latitude"], order["longitude"]
        )
        if (
            order["status"] == "open"
            and order["category"] in skills
            and order["quantity"] >= profile["minimum_order"]
            and order["deadline"] >= today()
            and distance <= profile["service_radius_km"]
            and distance <= order["dispatch_radius_km"]
        ):
            found.append((distance, order["id"]))
    return sorted(found)


async def test_feed_matches_a_scan_of_every_order(clean_database: str) -> None:
    rng = random.Random(7)
    owner = await designer()
    await scatter_orders(owner, 1000, rng)
    tailors = [
        await tailor(
            km=rng.uniform(0, 40),
            skills=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
            radius=rng.choice((1, 5, 10, 15, 25, 35, 50)),
            minimum_order=rng.choice((1, 10, 50)),
        )
        for _tailor in range(25)
    ]

    orders = await Order.select()
    for tailor_id in tailors:
        wanted = await expected(tailor_id, orders)
        shown: list[tuple[float, int]] = []
        for offset in range(0, len(wanted) + 1, 40):
            feed = await nearby_orders(tailor_id, today(), offset=offset, limit=40)
            shown += [(item.distance_km, item.order.id) for item in feed.items]
            assert feed.has_more == (len(wanted) > offset + 40)
        assert shown == [(round(distance, 1), order_id) for distance, order_id in wanted]


async def test_feed_pages_carry_the_whole_order_and_its_buyer(clean_database: str) -> None:
    owner = await designer(business="Juara Merch")
    await scatter_orders(owner, 50, random.Random(8))
    tailor_id = await tailor(km=0.0, skills=CATEGORIES, radius=50)

    feed = await nearby_orders(tailor_id, today(), limit=5)

    assert len(feed.items) == 5
    first = feed.items[0].order
    fields = {field.name for field in dataclasses.fields(first)}
    assert fields >= {"public_id", "title", "quantity", "budget_per_piece", "deadline"}
    assert {item.buyer for item in feed.items} == {"Juara Merch"}
    assert [item.skill_match for item in feed.items] == [i.order.category for i in feed.items]


async def test_a_first_visit_creates_the_profile_and_shows_nothing(clean_database: str) -> None:
    newcomer = await account("tailor", "Penjahit Baru")

    feed = await nearby_orders(newcomer, today())

    assert (feed.items, feed.has_more, feed.located, feed.skills) == ([], False, False, [])
    assert await TailorProfile.exists().where(TailorProfile.account == newcomer)
