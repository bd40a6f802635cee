"""Dispatch against a real database: who gets the alert, wave by wave, and when it stops."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from server.notifications.tables import Delivery, Notification
from server.orders.assignment.services import take
from server.orders.dispatching.waves import DispatchSettings, dispatch_next_wave, due_waves
from server.orders.offers import services as orders
from server.orders.posting.services import cancel, expire_orders
from server.orders.records import OrderRecord
from server.orders.tables import DispatchDecision, Order
from server.tailors.services import today
from server.tailors.tables import TailorProfile
from tests.builders.orders import published
from tests.builders.people import designer, tailor
from tests.builders.push import prefer, subscribe

TEN_MINUTES = DispatchSettings(wave_size=50, wave_interval=timedelta(minutes=10))


async def decisions(order_id: int) -> dict[int, list[tuple[int, str, str]]]:
    """(wave, outcome, reason) per tailor, wave by wave."""
    rows = await DispatchDecision.select().where(DispatchDecision.order == order_id)
    found: dict[int, list[tuple[int, str, str]]] = {}
    for row in sorted(rows, key=lambda row: (row["wave"], row["id"])):
        found.setdefault(row["tailor"], []).append((row["wave"], row["outcome"], row["reason"]))
    return found


async def alerted(order_id: int) -> list[int]:
    """Tailors alerted for this order, in the order they were ranked."""
    rows = await (
        DispatchDecision.select(DispatchDecision.tailor)
        .where((DispatchDecision.order == order_id) & (DispatchDecision.outcome == "alerted"))
        .order_by(DispatchDecision.id)
    )
    return [row["tailor"] for row in rows]


async def new_order_notifications() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Notification.select().where(Notification.kind == "new_order").order_by(Notification.id)
    )
    return rows


async def pushed_to() -> list[int]:
    rows = await Delivery.select(Delivery.notification.account)
    return sorted(row["notification.account"] for row in rows)


async def reload(order: OrderRecord) -> OrderRecord:
    return await orders.open_order(order.public_id)


async def test_first_wave_alerts_the_best_eligible_tailors_within_five_km(
    clean_database: str,
) -> None:
    owner = await designer()
    best = await tailor(km=1.0, rating=4.8)
    second = await tailor(km=1.0, rating=3.0)
    third = await tailor(km=3.0)
    fourth = await tailor(km=4.5)  # eligible, but the wave is full
    excluded = {
        await tailor(km=1.0, verification="pending"): "not_verified",
        await tailor(km=1.5, verification="rejected"): "not_verified",
        await tailor(km=2.0, available=False): "switched_off",
        await tailor(km=2.0, skills=("gamis",)): "no_skill",
        await tailor(km=2.0, status="suspended"): "suspended",
        await tailor(km=4.0, radius=3): "beyond_tailor_radius",
        await tailor(km=2.0, minimum_order=500): "minimum_order",
        await tailor(km=2.0, capacity=10): "no_capacity",
        await tailor(km=7.0): "beyond_order_radius",  # a neighbouring cell: the next wave's
    }
    far_away = await tailor(km=40.0)
    for account in (best, fourth, *excluded):
        await subscribe(account)

    order = await published(owner, DispatchSettings(wave_size=3), quantity=100)

    assert await alerted(order.id) == [best, second, third]
    found = await decisions(order.id)
    assert found[fourth] == [(1, "waiting", "wave_full")]
    for account, reason in excluded.items():
        assert found[account] == [(1, "excluded", reason)]
    assert far_away not in found  # never even a candidate: its cell is not near
    notifications = await new_order_notifications()
    assert [n["account"] for n in notifications] == [best, second, third]
    assert all(n["url"] == f"/orders/{order.public_id}" for n in notifications)
    assert all("Kemeja batik seragam kantor" in n["title"] for n in notifications)
    assert await pushed_to() == [best]  # the only alerted tailor with a subscribed phone
    assert (order.dispatch_wave, order.dispatch_radius_km) == (1, 5)
    wait = order.next_wave_at - order.published_at
    assert timedelta(minutes=10) <= wait < timedelta(minutes=10, seconds=5)


async def test_decisions_record_distance_and_score(clean_database: str) -> None:
    owner = await designer()
    near = await tailor(km=2.0)
    off = await tailor(km=3.0, available=False)

    order = await published(owner)

    rows = {row["tailor"]: row for row in await DispatchDecision.select()}
    assert abs(rows[near]["distance_km"] - 2.0) < 0.05
    assert rows[near]["score"] is not None
    assert abs(rows[off]["distance_km"] - 3.0) < 0.05
    assert rows[off]["score"] is None
    assert {row["order"] for row in rows.values()} == {order.id}


async def test_waves_widen_after_the_interval_and_never_alert_twice(
    clean_database: str,
) -> None:
    owner = await designer()
    by_wave = [await tailor(km=km) for km in (3.0, 7.0, 15.0, 30.0, 45.0)]
    beyond_every_wave = await tailor(km=58.0)
    order = await published(owner, TEN_MINUTES)
    assert await alerted(order.id) == by_wave[:1]

    early = await due_waves(TEN_MINUTES, order.next_wave_at - timedelta(minutes=1))

    assert early == []
    for wave, radius in ((2, 10), (3, 20), (4, 35), (5, 50)):
        due = (await reload(order)).next_wave_at
        results = await due_waves(TEN_MINUTES, due)
        assert [(r.wave, r.radius_km, r.alerted) for r in results] == [
            (wave, radius, [by_wave[wave - 1]])
        ]
        order = await reload(order)
        assert (order.dispatch_wave, order.dispatch_radius_km) == (wave, radius)
        if wave < 5:
            assert order.next_wave_at == due + timedelta(minutes=10)
    assert order.next_wave_at is None
    assert await due_waves(TEN_MINUTES, due + timedelta(hours=3)) == []
    assert await dispatch_next_wave(order.id, TEN_MINUTES) is None
    assert (await reload(order)).dispatch_wave == 5
    assert await alerted(order.id) == by_wave
    notified = [n["account"] for n in await new_order_notifications()]
    assert notified == by_wave
    assert beyond_every_wave not in notified


async def test_waiting_tailors_are_alerted_in_the_next_wave_before_farther_ones(
    clean_database: str,
) -> None:
    owner = await designer()
    nearest, next_nearest, farther = (
        await tailor(km=1.0),
        await tailor(km=2.0),
        await tailor(km=8.0),
    )
    one_each = DispatchSettings(wave_size=1, wave_interval=timedelta(minutes=10))
    order = await published(owner, one_each)

    await due_waves(one_each, order.next_wave_at)
    await due_waves(one_each, (await reload(order)).next_wave_at)

    assert await alerted(order.id) == [nearest, next_nearest, farther]
    found = await decisions(order.id)
    assert found[next_nearest] == [(1, "waiting", "wave_full"), (2, "alerted", "ranked")]
    assert found[farther] == [
        (1, "excluded", "beyond_order_radius"),
        (2, "waiting", "wave_full"),
        (3, "alerted", "ranked"),
    ]


async def test_workers_racing_for_a_due_wave_send_it_once(clean_database: str) -> None:
    owner = await designer()
    near, farther = await tailor(km=2.0), await tailor(km=8.0)
    order = await published(owner, TEN_MINUTES)
    due = order.next_wave_at

    results = await asyncio.gather(*(due_waves(TEN_MINUTES, due) for _worker in range(3)))

    assert sorted(len(found) for found in results) == [0, 0, 1]
    assert await alerted(order.id) == [near, farther]
    assert (await reload(order)).dispatch_wave == 2
    assert len(await new_order_notifications()) == 2


async def test_a_live_offer_stops_the_waves(clean_database: str) -> None:
    owner = await designer()
    quoting = await tailor(km=2.0)
    await tailor(km=8.0)
    order = await published(owner, TEN_MINUTES)
    form = orders.OfferForm(price_per_piece=80_000, ready_by=today() + timedelta(days=20), note="")
    await orders.make_offer(quoting, order.public_id, form)

    assert await due_waves(TEN_MINUTES, order.next_wave_at) == []

    order = await reload(order)
    assert (order.dispatch_wave, order.next_wave_at) == (1, None)
    assert await alerted(order.id) == [quoting]


async def test_waves_widen_again_once_the_only_offer_is_withdrawn(clean_database: str) -> None:
    owner = await designer()
    quoting = await tailor(km=2.0)
    farther = await tailor(km=8.0)
    order = await published(owner, TEN_MINUTES)
    form = orders.OfferForm(price_per_piece=80_000, ready_by=today() + timedelta(days=20), note="")
    await orders.make_offer(quoting, order.public_id, form)
    assert await due_waves(TEN_MINUTES, order.next_wave_at) == []

    await orders.withdraw_offer(quoting, order.public_id)
    waves = await due_waves(TEN_MINUTES)

    assert [(wave.wave, wave.alerted) for wave in waves] == [(2, [farther])]
    assert await alerted(order.id) == [quoting, farther]


async def test_waves_stop_once_the_order_is_taken(clean_database: str) -> None:
    owner = await designer()
    taker = await tailor(km=2.0)
    await tailor(km=8.0)
    order = await published(owner, TEN_MINUTES, mode="direct")
    due = order.next_wave_at

    await take(taker, order.public_id)

    assert (await reload(order)).next_wave_at is None
    assert await due_waves(TEN_MINUTES, due + timedelta(hours=1)) == []
    # Even a worker that read the order as due just before it was taken sends nothing.
    await Order.update({Order.next_wave_at: due}).where(Order.id == order.id)
    assert await due_waves(TEN_MINUTES, due) == []
    assert await dispatch_next_wave(order.id, TEN_MINUTES, due) is None
    assert await alerted(order.id) == [taker]


async def test_waves_stop_once_the_order_is_cancelled_or_expired(clean_database: str) -> None:
    owner = await designer()
    await tailor(km=2.0)
    await tailor(km=8.0)
    cancelled = await published(owner, TEN_MINUTES)
    expiring = await published(owner, TEN_MINUTES, deadline=today() + timedelta(days=2))
    due = cancelled.next_wave_at

    await cancel(owner, cancelled.public_id, "Tidak jadi produksi")
    assert await expire_orders(today() + timedelta(days=3)) == [expiring.id]

    assert await due_waves(TEN_MINUTES, due + timedelta(hours=1)) == []
    for order in (cancelled, expiring):
        order = await reload(order)
        assert (order.dispatch_wave, order.next_wave_at) == (1, None)
        assert await dispatch_next_wave(order.id, TEN_MINUTES) is None
    assert len(await DispatchDecision.select().where(DispatchDecision.wave > 1)) == 0


async def test_the_designer_is_never_alerted_about_their_own_order(clean_database: str) -> None:
    owner = await designer()
    # A designer who also sews, with a profile that would pass every rule.
    await tailor(km=0.5, account_id=owner)
    other = await tailor(km=1.0)
    order = await published(owner, TEN_MINUTES)
    for _wave in range(4):
        await due_waves(TEN_MINUTES, (await reload(order)).next_wave_at)

    assert (await reload(order)).dispatch_wave == 5
    assert await alerted(order.id) == [other]
    assert owner not in await decisions(order.id)
    assert [n["account"] for n in await new_order_notifications()] == [other]


async def test_hourly_cap_and_disabled_alerts_keep_the_notification_but_push_nothing(
    clean_database: str,
) -> None:
    owner = await designer()
    capped, muted, plain = await tailor(km=1.0), await tailor(km=2.0), await tailor(km=3.0)
    await prefer(capped, per_hour=2)
    await prefer(muted, disabled=json.dumps(["new_order"]))
    for account in (capped, muted, plain):
        await subscribe(account)

    for number in range(3):
        await published(owner, TEN_MINUTES, title=f"Kemeja kantor batch {number + 1}")

    notifications = await new_order_notifications()
    assert sorted(n["account"] for n in notifications) == sorted([capped, muted, plain] * 3)
    assert await pushed_to() == sorted([capped] * 2 + [plain] * 3)


async def test_the_hourly_cap_counts_only_the_last_hour(clean_database: str) -> None:
    owner = await designer()
    capped = await tailor(km=1.0)
    await prefer(capped, per_hour=1)
    await subscribe(capped)
    await published(owner, TEN_MINUTES)  # pushed now
    await TailorProfile.update({TailorProfile.available: False}).where(
        TailorProfile.account == capped
    )
    soon = await published(owner, TEN_MINUTES, title="Kemeja kantor batch 2")
    later = await published(owner, TEN_MINUTES, title="Kemeja kantor batch 3")
    await TailorProfile.update({TailorProfile.available: True}).where(
        TailorProfile.account == capped
    )
    in_half_an_hour = soon.published_at + timedelta(minutes=30)
    in_an_hour = soon.published_at + timedelta(minutes=61)
    await Order.update({Order.next_wave_at: in_an_hour}).where(Order.id == later.id)

    assert [r.alerted for r in await due_waves(TEN_MINUTES, in_half_an_hour) if r.alerted] == [
        [capped]
    ]
    assert await pushed_to() == [capped]
    assert [r.alerted for r in await due_waves(TEN_MINUTES, in_an_hour) if r.alerted] == [[capped]]
    assert await pushed_to() == [capped, capped]
    assert len(await new_order_notifications()) == 3
