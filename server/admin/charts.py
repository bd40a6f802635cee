"""A horizontal bar chart laid out on the server, drawn as inline SVG by the template."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 190
NUMBER_WIDTH = 90
ROW_HEIGHT = 30
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    target: int
    y: int
    value_width: float
    target_width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    bars: list[Bar]


def scaled(amount: int, largest: int, plot_width: int) -> float:
    """Width in SVG units; anything above zero stays visible."""
    if amount <= 0 or largest <= 0:
        return 0.0
    return max(1.0, round(amount * plot_width / largest, 1))


def bar_chart(items: Sequence[tuple[str, int, int]], width: int = 640) -> BarChart:
    """(label, value, target) rows on one scale: the largest value or target fills the plot."""
    plot_width = width - LABEL_WIDTH - NUMBER_WIDTH
    largest = max((max(value, target) for _label, value, target in items), default=0)
    bars = [
        Bar(
            label=label,
            value=value,
            target=target,
            y=index * ROW_HEIGHT,
            value_width=scaled(value, largest, plot_width),
            target_width=scaled(target, largest, plot_width),
        )
        for index, (label, value, target) in enumerate(items)
    ]
    return BarChart(
        width=width,
        height=max(len(bars), 1) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        plot_width=plot_width,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
