"""Who may get an order, and in what order: pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from server.regions import haversine_km

WAVE_RADII_KM = (5, 10, 20, 35, 50)
NEUTRAL_RATING = 4.0  # a tailor without ratings is ranked as an average one


@dataclass(frozen=True)
class Candidate:
    account_id: int
    verification: str  # effective: verified | pending | rejected | expired | incomplete
    available: bool
    active: bool
    skills: frozenset[str]
    latitude: float
    longitude: float
    radius_km: int
    minimum_order: int
    weekly_capacity: int
    committed_pieces: int  # assigned, unfinished work
    rating: float | None
    recent_jobs: int  # assignments in the last 30 days


@dataclass(frozen=True)
class OrderFacts:
    category: str
    quantity: int
    latitude: float
    longitude: float
    deadline: date
    today: date


def distance_km(candidate: Candidate, order: OrderFacts) -> float:
    return haversine_km(candidate.latitude, candidate.longitude, order.latitude, order.longitude)


def free_capacity(candidate: Candidate, order: OrderFacts) -> int:
    """Pieces the tailor can still sew before the deadline, given assigned work."""
    weeks = max(1.0, (order.deadline - order.today).days / 7)
    return int(candidate.weekly_capacity * weeks) - candidate.committed_pieces


def exclusion(
    candidate: Candidate, order: OrderFacts, radius_km: float, *, reading: bool = False
) -> str | None:
    """The first rule this tailor fails for this order within this radius, or None.

    The one test of eligibility: dispatch alerts by it, and the order page, its photos, the
    feed, offers and taking an order all ask it. `reading`: a tailor who switched "ready for
    orders" off is not alerted and cannot answer, but may still look."""
    if not candidate.active:
        return "suspended"
    if candidate.verification != "verified":
        return "not_verified"
    if not candidate.available and not reading:
        return "switched_off"
    if order.category not in candidate.skills:
        return "no_skill"
    distance = distance_km(candidate, order)
    if distance > radius_km:
        return "beyond_order_radius"
    if distance > candidate.radius_km:
        return "beyond_tailor_radius"
    if candidate.minimum_order > order.quantity:
        return "minimum_order"
    if free_capacity(candidate, order) < order.quantity:
        return "no_capacity"
    return None


def score(candidate: Candidate, order: OrderFacts, radius_km: float) -> float:
    """Lower is better: near, well rated, and fair to those with fewer recent jobs."""
    nearness = distance_km(candidate, order) / max(radius_km, 1.0)
    rating = (candidate.rating if candidate.rating is not None else NEUTRAL_RATING) / 5.0
    fairness = min(candidate.recent_jobs, 10) / 10.0
    return round(0.5 * nearness - 0.3 * rating + 0.2 * fairness, 6)


def rank(
    candidates: list[Candidate], order: OrderFacts, radius_km: float
) -> list[tuple[Candidate, float]]:
    scored = [(candidate, score(candidate, order, radius_km)) for candidate in candidates]
    return sorted(scored, key=lambda pair: (pair[1], pair[0].account_id))
