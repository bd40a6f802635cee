"""The feed's own statements read what the query builder reads: the tailor as dispatch weighs
them, and the cards with their buyers, on both engines."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from server.designers.tables import DesignerProfile
from server.orders.dispatching.candidates import candidate_of, recent_since
from server.orders.offers.feed import FeedOrder, buyer_names, buyer_ratings, nearby_orders
from server.orders.offers.feed_queries import tailor_row
from server.orders.records import OrderRecord
from server.orders.tables import Order
from server.tailors.services import profile_of, today
from server.tailors.tables import TailorProfile
from tests import query_count
from tests.builders.orders import assigned, order
from tests.builders.people import account, designer, designer_profile, tailor


async def test_the_tailor_statement_reads_the_profile_and_the_candidate(
    clean_database: str,
) -> None:
    owner = await designer()
    busy = await tailor(km=1.0, skills=("kemeja", "kaos", "batik"), capacity=120)
    await assigned(owner, busy, sizes={"M": 30})
    await assigned(owner, busy, sizes={"L": 12})
    old = await assigned(owner, busy, sizes={"S": 5})
    await Order.update({Order.assigned_at: recent_since() - timedelta(days=1)}).where(
        Order.public_id == old
    )
    expired = await tailor(km=2.0, skills=())
    lapsed = {TailorProfile.certificate_expires_on: today() - timedelta(days=1)}
    await TailorProfile.update(lapsed).where(TailorProfile.account == expired)
    suspended = await tailor(km=3.0, status="suspended", rating=4.5)

    for tailor_id in (busy, expired, suspended):
        found = await tailor_row(tailor_id, recent_since())
        assert found is not None
        assert found.profile == await profile_of(tailor_id)
        assert found.candidate(today()) == await candidate_of(tailor_id, today())
    busy_row = await tailor_row(busy, recent_since())
    assert busy_row is not None
    assert (busy_row.skills, busy_row.committed_pieces, busy_row.recent_jobs) == (
        ["batik", "kaos", "kemeja"],
        47,
        2,
    )
    assert await tailor_row(await account("tailor", "Belum Mulai"), recent_since()) is None


async def test_cards_carry_the_order_and_its_buyer_as_the_order_page_reads_them(
    clean_database: str,
) -> None:
    named = await designer(business="Juara Merch")
    unnamed = await designer("Rina Tanpa Usaha", business="")
    rated = await designer(business="Batik Bintang")
    await DesignerProfile.update(
        {DesignerProfile.rating_average: 4.25, DesignerProfile.rating_count: 8}
    ).where(DesignerProfile.account == rated)
    no_profile = await account("designer", "Tanpa Profil")
    await designer_profile(no_profile)
    for owner in (named, unnamed, rated, no_profile):
        await order(owner, title=f"Pesanan {owner}", mode="direct" if owner == rated else "bidding")
    await DesignerProfile.delete().where(DesignerProfile.account == no_profile)
    tailor_id = await tailor(km=0.5)

    feed = await nearby_orders(tailor_id, today())

    owners = [named, unnamed, rated, no_profile]
    assert sorted(item.order.designer for item in feed.items) == sorted(owners)
    names, ratings = await buyer_names(owners), await buyer_ratings(owners)
    assert {item.order.designer: item.buyer for item in feed.items} == {
        owner: names.get(owner, "") for owner in owners
    }
    assert names[unnamed] == "Rina Tanpa Usaha"
    assert {item.order.designer: item.buyer_rating for item in feed.items} == {
        owner: ratings.get(owner) for owner in owners
    }
    fields = [field.name for field in dataclasses.fields(FeedOrder)]
    for item in feed.items:
        row = await Order.select(*OrderRecord.columns()).where(Order.id == item.order.id).first()
        assert row is not None
        assert dataclasses.asdict(item.order) == {name: row[name] for name in fields}


async def test_the_feed_takes_three_statements_on_one_connection(clean_database: str) -> None:
    query_count.install()
    owner = await designer()
    for number in range(5):
        await order(owner, title=f"Pesanan {number}")
    tailor_id = await tailor(km=0.5)
    before = query_count.snapshot()

    feed = await nearby_orders(tailor_id, today())

    assert len(feed.items) == 5
    assert query_count.snapshot().since(before) == query_count.Tally(queries=3, connections=1)
