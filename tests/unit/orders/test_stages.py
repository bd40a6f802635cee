"""The production state machine: who may move an order where, and when it is late."""

from datetime import date
from itertools import pairwise

import pytest

from server.orders.production.stages import (
    SAMPLE_REJECTED,
    Stage,
    StageError,
    check_move,
    check_sample_rejection,
    next_stage,
    plan,
    progress_percent,
    stages_of,
)

WITHOUT_SAMPLE = [
    Stage.CONFIRMED,
    Stage.MATERIALS_RECEIVED,
    Stage.CUTTING,
    Stage.SEWING,
    Stage.FINISHING,
    Stage.SHIPPED,
    Stage.COMPLETED,
]


def move(current: str, target: str, actor: str, *, sample: bool = False, dp: bool = True) -> Stage:
    return check_move(current, target, actor=actor, sample_first=sample, down_payment_confirmed=dp)


def refusal(current: str, target: str, actor: str, **kwargs: bool) -> str:
    with pytest.raises(StageError) as caught:
        move(current, target, actor, **kwargs)
    return caught.value.code


def test_stages_follow_the_product_order_with_and_without_a_sample() -> None:
    assert stages_of(False) == WITHOUT_SAMPLE
    assert stages_of(True)[:4] == [
        Stage.CONFIRMED,
        Stage.SAMPLE_MADE,
        Stage.SAMPLE_APPROVED,
        Stage.MATERIALS_RECEIVED,
    ]


@pytest.mark.parametrize("sample", [False, True])
def test_every_legal_move_is_allowed_to_its_actor(sample: bool) -> None:
    stages = stages_of(sample)
    for current, target in pairwise(stages):
        actor = "designer" if target in (Stage.SAMPLE_APPROVED, Stage.COMPLETED) else "tailor"
        assert move(current, target, actor, sample=sample) == target


def test_the_wrong_actor_is_refused() -> None:
    assert refusal(Stage.CONFIRMED, Stage.MATERIALS_RECEIVED, "designer") == "tailor_only"
    assert refusal(Stage.SHIPPED, Stage.COMPLETED, "tailor") == "designer_only"
    assert (
        refusal(Stage.SAMPLE_MADE, Stage.SAMPLE_APPROVED, "tailor", sample=True) == "designer_only"
    )


def test_skipping_ahead_is_refused_and_going_back_is_already_posted() -> None:
    assert refusal(Stage.CONFIRMED, Stage.SEWING, "tailor") == "wrong_stage"
    assert refusal(Stage.SEWING, Stage.CUTTING, "tailor") == "already_posted"
    assert refusal(Stage.SEWING, Stage.SEWING, "tailor") == "already_posted"


def test_the_sample_cannot_be_skipped_when_the_order_asked_for_one() -> None:
    assert refusal(Stage.CONFIRMED, Stage.MATERIALS_RECEIVED, "tailor", sample=True) == (
        "sample_first"
    )
    assert refusal(Stage.SAMPLE_MADE, Stage.MATERIALS_RECEIVED, "tailor", sample=True) == (
        "sample_first"
    )


def test_sample_stages_do_not_exist_without_a_sample() -> None:
    assert refusal(Stage.CONFIRMED, Stage.SAMPLE_MADE, "tailor") == "no_sample"


def test_shipping_waits_for_the_down_payment() -> None:
    assert refusal(Stage.FINISHING, Stage.SHIPPED, "tailor", dp=False) == "down_payment_first"
    assert move(Stage.FINISHING, Stage.SHIPPED, "tailor", dp=True) == Stage.SHIPPED


def test_nothing_follows_completion_and_unknown_stages_are_refused() -> None:
    assert next_stage(Stage.COMPLETED, False) is None
    assert refusal(Stage.COMPLETED, Stage.COMPLETED, "designer") == "finished"
    assert refusal(Stage.CONFIRMED, "packed", "tailor") == "unknown_stage"


def test_a_rejected_sample_goes_back_to_making_one() -> None:
    check_sample_rejection(Stage.SAMPLE_MADE, actor="designer", sample_first=True)
    assert next_stage(SAMPLE_REJECTED, True) == Stage.SAMPLE_MADE
    assert move(SAMPLE_REJECTED, Stage.SAMPLE_MADE, "tailor", sample=True) == Stage.SAMPLE_MADE
    with pytest.raises(StageError):
        check_sample_rejection(Stage.SAMPLE_MADE, actor="tailor", sample_first=True)
    with pytest.raises(StageError):
        check_sample_rejection(Stage.CONFIRMED, actor="designer", sample_first=True)


def test_progress_runs_from_zero_to_a_hundred() -> None:
    assert progress_percent(Stage.CONFIRMED, False) == 0
    assert progress_percent(Stage.SEWING, False) == 50
    assert progress_percent(Stage.COMPLETED, True) == 100


def test_a_stage_past_its_expected_date_is_late() -> None:
    start, ready_by = date(2026, 12, 1), date(2026, 12, 11)
    steps = {step.stage: step for step in plan(False, start, ready_by, {"confirmed": start})}
    assert steps[Stage.SHIPPED].expected == ready_by
    assert steps[Stage.CUTTING].expected == date(2026, 12, 5)
    assert steps[Stage.CUTTING].late_days(date(2026, 12, 5)) == 0
    assert steps[Stage.CUTTING].late_days(date(2026, 12, 8)) == 3
    reached = plan(False, start, ready_by, {"cutting": date(2026, 12, 6)})
    assert (
        next(step for step in reached if step.stage == Stage.CUTTING).late_days(date(2026, 12, 20))
        == 1
    )
