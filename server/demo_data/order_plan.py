"""The demo buyers' orders, planned in memory: open ones (a few with live offers), assigned and
expired ones, in both modes. Who could sew what follows the dispatch rules; `order_load` writes
them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from server.demo_data.catalogue import ORDER_IDEAS, OrderIdea
from server.demo_data.plan import Programme, TailorPlan, at, days_before, known_city
from server.dispatch.rules import WAVE_RADII_KM, Candidate, OrderFacts, distance_km, exclusion
from server.orders.tables import OfferStatus, OrderMode, OrderStatus

SEED = 501
NAMESPACE = uuid.UUID("6f1d3c1e-8a52-4c1b-9d0e-5b7a2f4c9e10")
# By how many ideas a buyer has: newest first, as in the catalogue.
STATUSES = {
    1: (OrderStatus.OPEN,),
    2: (OrderStatus.OPEN, OrderStatus.ASSIGNED),
    3: (OrderStatus.OPEN, OrderStatus.ASSIGNED, OrderStatus.EXPIRED),
    5: (
        OrderStatus.OPEN,
        OrderStatus.ASSIGNED,
        OrderStatus.OPEN,
        OrderStatus.EXPIRED,
        OrderStatus.ASSIGNED,
    ),
}
# The demo designer compares three live offers; the demo tailor has a job in production.
# Otherwise the demo tailor makes no offers: those are the demo user's to make.
THREE_OFFERS = "Batik Kirana/0"
DEMO_TAILOR_JOB = "Batik Kirana/1"
OFFER_NOTES = (
    "Bisa mulai minggu ini, sampel 3 hari jadi.",
    "Sudah biasa jahit model ini, hasil rapi dan tepat waktu.",
    "Harga sudah termasuk obras dan lubang kancing.",
    "Dikerjakan bersama dua penjahit tetangga, jadi bisa lebih cepat.",
    "",
)


@dataclass(frozen=True)
class OfferPlan:
    tailor: str  # phone
    price_per_piece: int
    ready_by: date
    note: str
    created_at: datetime
    status: str


@dataclass(frozen=True)
class OrderPlan:
    public_id: uuid.UUID
    designer: str  # phone
    idea: OrderIdea
    sizes: tuple[tuple[str, int], ...]
    city_code: str
    published_at: datetime
    deadline: date
    status: str
    offers: tuple[OfferPlan, ...] = ()
    tailor: str | None = None  # who got it
    assigned_at: datetime | None = None


def plan_orders(programme: Programme, today: date, seed: int = SEED) -> tuple[OrderPlan, ...]:
    rng = random.Random(seed)  # noqa: S311 (made-up orders, not secrets)
    planned = []
    for designer in programme.designers:
        ideas = ORDER_IDEAS.get(designer.business_name, ())
        for number, (idea, status) in enumerate(zip(ideas, STATUSES[len(ideas)], strict=True)):
            key = f"{designer.business_name}/{number}"
            published, deadline = dates_for(status, today, rng)
            plan = OrderPlan(
                public_id=uuid.uuid5(NAMESPACE, key),
                designer=designer.person.phone,
                idea=idea,
                sizes=split(idea, rng),
                city_code=designer.city_code,
                published_at=published,
                deadline=deadline,
                status=status,
            )
            planned.append(with_tailors(plan, key, programme, rng))
    return tuple(sorted(planned, key=lambda plan: (plan.published_at, str(plan.public_id))))


def dates_for(status: str, today: date, rng: random.Random) -> tuple[datetime, date]:
    """When it was published, and its deadline: past for an expired order."""
    if status == OrderStatus.EXPIRED:
        published = at(days_before(today, rng.randint(40, 70)), rng.randint(8, 20))
        return published, published.date() + timedelta(days=rng.randint(14, 28))
    if status == OrderStatus.OPEN:
        published = at(days_before(today, rng.randint(1, 6)), rng.randint(8, 20))
        return published, today + timedelta(days=rng.randint(14, 45))
    published = at(days_before(today, rng.randint(8, 30)), rng.randint(8, 20))
    return published, published.date() + timedelta(days=rng.randint(35, 60))


def split(idea: OrderIdea, rng: random.Random) -> tuple[tuple[str, int], ...]:
    """The quantity over the sizes, the middle ones ordered most."""
    weights = [rng.randint(2, 4) if size in ("M", "L") else 1 for size in idea.sizes]
    counts = [idea.quantity * weight // sum(weights) for weight in weights]
    counts[0] += idea.quantity - sum(counts)
    return tuple((size, count) for size, count in zip(idea.sizes, counts, strict=True) if count)


def with_tailors(plan: OrderPlan, key: str, programme: Programme, rng: random.Random) -> OrderPlan:
    """Offers and the tailor who got it, from those who could sew it, nearest first. An order
    meant to be assigned that nobody could sew stays open."""
    demo_tailor = programme.tailors[0].person.phone
    able = who_could_sew(plan, programme.tailors)
    if key == DEMO_TAILOR_JOB and demo_tailor in able:
        able = [demo_tailor] + [phone for phone in able if phone != demo_tailor]
    else:
        able = [phone for phone in able if phone != demo_tailor]
    bidding = plan.idea.mode == OrderMode.BIDDING
    if plan.status == OrderStatus.OPEN:
        if not bidding:
            return plan
        count = min(len(able), 3 if key == THREE_OFFERS else rng.choice((0, 1, 2, 3)))
        return replace(plan, offers=offers_from(able[:count], plan, OfferStatus.LIVE, rng))
    if plan.status != OrderStatus.ASSIGNED:
        return plan
    if not able:
        return replace(plan, status=OrderStatus.OPEN)
    assigned_at = plan.published_at + timedelta(hours=rng.randint(2, 48))
    if not bidding:
        return replace(plan, tailor=able[0], assigned_at=assigned_at)
    quoting = able[: rng.randint(1, 3)]
    offers = offers_from(quoting, plan, OfferStatus.DECLINED, rng)
    offers = (replace(offers[0], status=OfferStatus.ACCEPTED), *offers[1:])
    return replace(plan, offers=offers, tailor=quoting[0], assigned_at=assigned_at)


def who_could_sew(plan: OrderPlan, tailors: Sequence[TailorPlan]) -> list[str]:
    """Phones of the tailors the dispatch rules let take it at its widest wave, nearest first."""
    city = known_city(plan.city_code)
    facts = OrderFacts(
        category=plan.idea.category,
        quantity=plan.idea.quantity,
        latitude=city.latitude,
        longitude=city.longitude,
        deadline=plan.deadline,
        today=plan.published_at.date(),
    )
    able = []
    for number, tailor in enumerate(tailors):
        candidate = Candidate(
            account_id=number,
            verification=tailor.verification,
            available=tailor.available,
            active=True,
            skills=frozenset(tailor.skills),
            latitude=tailor.latitude,
            longitude=tailor.longitude,
            radius_km=tailor.service_radius_km,
            minimum_order=tailor.minimum_order,
            weekly_capacity=tailor.weekly_capacity,
            committed_pieces=0,
            rating=None,
            recent_jobs=0,
        )
        if exclusion(candidate, facts, WAVE_RADII_KM[-1]) is None:
            able.append((distance_km(candidate, facts), number, tailor.person.phone))
    return [phone for _distance, _number, phone in sorted(able)]


def offers_from(
    phones: Sequence[str], plan: OrderPlan, status: str, rng: random.Random
) -> tuple[OfferPlan, ...]:
    budget = plan.idea.budget_per_piece
    days = max(2, (plan.deadline - plan.published_at.date()).days)
    return tuple(
        OfferPlan(
            tailor=phone,
            price_per_piece=int(round(budget * rng.uniform(0.9, 1.15), -3)),
            ready_by=plan.published_at.date() + timedelta(days=rng.randint(days // 2, days - 1)),
            note=rng.choice(OFFER_NOTES),
            created_at=plan.published_at + timedelta(minutes=rng.randint(15, 30 * 60)),
            status=status,
        )
        for phone in phones
    )
