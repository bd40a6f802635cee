"""The production stages of an order and who may move it where: pure rules, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from server.orders.refusals import StageError


class Stage(StrEnum):
    CONFIRMED = "confirmed"
    SAMPLE_MADE = "sample_made"
    SAMPLE_APPROVED = "sample_approved"
    MATERIALS_RECEIVED = "materials_received"
    CUTTING = "cutting"
    SEWING = "sewing"
    FINISHING = "finishing"
    SHIPPED = "shipped"
    COMPLETED = "completed"


SAMPLE_REJECTED = "sample_rejected"  # an event, not a stage: the order goes back to SAMPLE_MADE

SAMPLE_STAGES = (Stage.SAMPLE_MADE, Stage.SAMPLE_APPROVED)

# Who moves the order into each stage.
DESIGNER_STAGES = frozenset({Stage.SAMPLE_APPROVED, Stage.COMPLETED})

# Where each stage is expected along the way from assignment to the agreed ready date (0..1).
# Receipt is expected a few days after shipping.
SCHEDULE = {
    Stage.CONFIRMED: 0.0,
    Stage.SAMPLE_MADE: 0.1,
    Stage.SAMPLE_APPROVED: 0.15,
    Stage.MATERIALS_RECEIVED: 0.2,
    Stage.CUTTING: 0.35,
    Stage.SEWING: 0.7,
    Stage.FINISHING: 0.9,
    Stage.SHIPPED: 1.0,
}
DELIVERY_DAYS = 4


def stages_of(sample_first: bool) -> list[Stage]:
    return [stage for stage in Stage if sample_first or stage not in SAMPLE_STAGES]


def next_stage(current: str, sample_first: bool) -> Stage | None:
    """The one stage that follows `current` (None once completed)."""
    stages = stages_of(sample_first)
    if current == SAMPLE_REJECTED and sample_first:
        return Stage.SAMPLE_MADE
    if current not in stages:
        return None
    index = stages.index(Stage(current))
    return stages[index + 1] if index + 1 < len(stages) else None


def actor_of(stage: Stage) -> str:
    return "designer" if stage in DESIGNER_STAGES else "tailor"


def check_move(
    current: str, target: str, *, actor: str, sample_first: bool, down_payment_confirmed: bool
) -> Stage:
    """The stage `actor` ("tailor" | "designer") may move to from `current`, or StageError."""
    try:
        wanted = Stage(target)
    except ValueError:
        raise StageError("unknown_stage") from None
    if wanted not in stages_of(sample_first):
        raise StageError("no_sample")
    expected = next_stage(current, sample_first)
    if expected is None:
        raise StageError("finished")
    if wanted != expected:
        if wanted == Stage.MATERIALS_RECEIVED and expected in SAMPLE_STAGES:
            raise StageError("sample_first")
        stages = stages_of(sample_first)
        if current in stages and stages.index(wanted) <= stages.index(Stage(current)):
            raise StageError("already_posted")  # e.g. sent again from a phone's outbox
        raise StageError("wrong_stage")
    if actor_of(wanted) != actor:
        raise StageError(f"{actor_of(wanted)}_only")
    if wanted == Stage.SHIPPED and not down_payment_confirmed:
        raise StageError("down_payment_first")
    return wanted


def check_sample_rejection(current: str, *, actor: str, sample_first: bool) -> None:
    if not sample_first:
        raise StageError("no_sample")
    if actor != "designer":
        raise StageError("designer_only")
    if current != Stage.SAMPLE_MADE:
        raise StageError("wrong_stage")


def progress_percent(current: str, sample_first: bool) -> int:
    stages = stages_of(sample_first)
    if current == SAMPLE_REJECTED:
        current = Stage.CONFIRMED
    if current not in stages:
        return 0
    return round(100 * stages.index(Stage(current)) / (len(stages) - 1))


@dataclass(frozen=True)
class Step:
    """One stage on the timeline: when it is expected, when (if) it happened."""

    stage: Stage
    expected: date
    reached: date | None

    def late_days(self, today: date) -> int:
        """How many days past its expected date: when reached, or until today if not yet."""
        return max(0, ((self.reached or today) - self.expected).days)


def days_after(day: date, days: int) -> date:
    """`day` plus `days`, held at the calendar's ends: an old row with a far-off date (from
    before dates were bounded) gets a far-off schedule, not an OverflowError."""
    if days >= (date.max - day).days:
        return date.max
    if -days >= (day - date.min).days:
        return date.min
    return day + timedelta(days=days)


def expected_dates(stages: list[Stage], start: date, ready_by: date) -> dict[Stage, date]:
    span = max(0, (ready_by - start).days)
    dates = {
        stage: days_after(start, round(SCHEDULE[stage] * span))
        for stage in stages
        if stage in SCHEDULE
    }
    dates[Stage.COMPLETED] = days_after(ready_by, DELIVERY_DAYS)
    return dates


def plan(sample_first: bool, start: date, ready_by: date, reached: dict[str, date]) -> list[Step]:
    """Every stage of this order with its expected date and, when reached, the day it was."""
    stages = stages_of(sample_first)
    dates = expected_dates(stages, start, ready_by)
    return [Step(stage, dates[stage], reached.get(stage)) for stage in stages]
