"""What the orders' raw statements share."""

from __future__ import annotations


def placeholders(count: int) -> str:
    """`{}, {}, …`: Piccolo's placeholders for the values of an IN list."""
    return ", ".join(["{}"] * count)
