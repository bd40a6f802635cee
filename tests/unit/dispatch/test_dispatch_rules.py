"""Dispatch eligibility and ranking: pure rules, one table row per exclusion."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from server.dispatch.rules import (
    WAVE_RADII_KM,
    Candidate,
    OrderFacts,
    distance_km,
    exclusion,
    free_capacity,
    rank,
)
from server.regions import haversine_km

TODAY = date(2026, 6, 1)
BANDUNG = (-6.9147, 107.6098)
KM_PER_DEGREE_LATITUDE = 111.195  # on the mean Earth radius the rules use
ORDER = OrderFacts(
    category="kemeja",
    quantity=100,
    latitude=BANDUNG[0],
    longitude=BANDUNG[1],
    deadline=TODAY + timedelta(weeks=2),
    today=TODAY,
)


def north_of_order(km: float) -> tuple[float, float]:
    return BANDUNG[0] + km / KM_PER_DEGREE_LATITUDE, BANDUNG[1]


def candidate(**changes: Any) -> Candidate:
    """A tailor 2 km from the order who passes every rule; `km` moves them north."""
    latitude, longitude = north_of_order(changes.pop("km", 2.0))
    base = Candidate(
        account_id=1,
        verification="verified",
        available=True,
        active=True,
        skills=frozenset({"kemeja", "seragam"}),
        latitude=latitude,
        longitude=longitude,
        radius_km=15,
        minimum_order=10,
        weekly_capacity=100,  # 200 pieces in the order's two weeks
        committed_pieces=0,
        rating=4.5,
        recent_jobs=0,
    )
    return dataclasses.replace(base, **changes)


def test_north_of_order_moves_the_given_distance() -> None:
    latitude, longitude = north_of_order(7.0)
    assert haversine_km(*BANDUNG, latitude, longitude) == pytest.approx(7.0, abs=0.01)


@pytest.mark.parametrize(
    ("changes", "radius_km", "reason"),
    [
        pytest.param({}, 5, None, id="all-pass"),
        pytest.param({"active": False}, 5, "suspended", id="suspended"),
        pytest.param({"verification": "pending"}, 5, "not_verified", id="pending"),
        pytest.param({"verification": "rejected"}, 5, "not_verified", id="rejected"),
        pytest.param({"verification": "expired"}, 5, "not_verified", id="expired"),
        pytest.param({"verification": "incomplete"}, 5, "not_verified", id="incomplete"),
        pytest.param({"available": False}, 5, "switched_off", id="switched-off"),
        pytest.param({"skills": frozenset({"gamis"})}, 5, "no_skill", id="other-skills"),
        pytest.param({"skills": frozenset()}, 5, "no_skill", id="no-skills"),
        pytest.param({"km": 6.0}, 5, "beyond_order_radius", id="beyond-wave-1"),
        pytest.param({"km": 6.0}, 10, None, id="within-wave-2"),
        pytest.param({"km": 12.0, "radius_km": 10}, 20, "beyond_tailor_radius", id="own-radius"),
        pytest.param({"km": 9.9, "radius_km": 10}, 20, None, id="just-inside-own-radius"),
        pytest.param({"minimum_order": 101}, 5, "minimum_order", id="minimum-above-quantity"),
        pytest.param({"minimum_order": 100}, 5, None, id="minimum-equals-quantity"),
        pytest.param({"weekly_capacity": 49}, 5, "no_capacity", id="too-slow"),
        pytest.param({"committed_pieces": 101}, 5, "no_capacity", id="busy-with-assigned-work"),
        pytest.param({"committed_pieces": 100}, 5, None, id="exactly-enough-capacity"),
    ],
)
def test_exclusion_names_the_rule_a_tailor_fails(
    changes: dict[str, Any], radius_km: int, reason: str | None
) -> None:
    assert exclusion(candidate(**changes), ORDER, radius_km) == reason


def test_exclusion_reports_the_first_rule_in_order() -> None:
    everything_wrong = candidate(
        active=False,
        verification="pending",
        available=False,
        skills=frozenset(),
        km=60.0,
        minimum_order=500,
        weekly_capacity=1,
    )
    assert exclusion(everything_wrong, ORDER, 5) == "suspended"
    assert exclusion(dataclasses.replace(everything_wrong, active=True), ORDER, 5) == (
        "not_verified"
    )


def test_free_capacity_counts_at_least_one_week_before_the_deadline() -> None:
    tomorrow = dataclasses.replace(ORDER, deadline=TODAY + timedelta(days=1))
    assert free_capacity(candidate(weekly_capacity=100), tomorrow) == 100
    three_weeks = dataclasses.replace(ORDER, deadline=TODAY + timedelta(days=21))
    assert free_capacity(candidate(weekly_capacity=100, committed_pieces=40), three_weeks) == 260


def test_wave_radii_widen_from_five_kilometres() -> None:
    assert WAVE_RADII_KM[0] == 5
    assert list(WAVE_RADII_KM) == sorted(WAVE_RADII_KM)
    assert len(set(WAVE_RADII_KM)) == len(WAVE_RADII_KM)


def ranked_ids(candidates: list[Candidate], radius_km: float = 10) -> list[int]:
    return [chosen.account_id for chosen, _score in rank(candidates, ORDER, radius_km)]


def test_rank_puts_nearer_tailors_first() -> None:
    tailors = [
        candidate(account_id=1, km=8.0),
        candidate(account_id=2, km=1.0),
        candidate(account_id=3, km=4.0),
    ]
    assert ranked_ids(tailors) == [2, 3, 1]
    assert [round(distance_km(c, ORDER)) for c in tailors] == [8, 1, 4]


def test_rank_puts_better_rating_first_at_equal_distance() -> None:
    tailors = [
        candidate(account_id=1, rating=3.5),
        candidate(account_id=2, rating=4.9),
        candidate(account_id=3, rating=None),  # unrated: ranked as 4.0
        candidate(account_id=4, rating=4.2),
    ]
    assert ranked_ids(tailors) == [2, 4, 3, 1]


def test_rank_puts_fewer_recent_jobs_first_at_equal_distance_and_rating() -> None:
    tailors = [
        candidate(account_id=1, recent_jobs=6),
        candidate(account_id=2, recent_jobs=0),
        candidate(account_id=3, recent_jobs=2),
    ]
    assert ranked_ids(tailors) == [2, 3, 1]


def test_rank_breaks_ties_by_account_id() -> None:
    tailors = [candidate(account_id=account) for account in (7, 3, 5)]
    assert ranked_ids(tailors) == [3, 5, 7]


def test_rank_returns_each_tailor_with_a_score_lower_for_the_better() -> None:
    near, far = candidate(account_id=1, km=1.0), candidate(account_id=2, km=9.0)
    (first, first_score), (second, second_score) = rank([far, near], ORDER, 10)
    assert (first, second) == (near, far)
    assert first_score < second_score


def test_rank_of_nobody_is_empty() -> None:
    assert rank([], ORDER, 5) == []
