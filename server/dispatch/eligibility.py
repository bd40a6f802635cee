"""The dispatch rules (rules.exclusion) for one tailor and one order: who may see an order, its
photos and its place in the feed, and who may offer on it or take it."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.dispatch.rules import Candidate, OrderFacts, exclusion

NOT_LOCATED = "not_located"  # no place yet: no distance to measure, so no order is near


def order_facts(order: dict[str, Any], today: date) -> OrderFacts:
    return OrderFacts(
        category=order["category"],
        quantity=order["quantity"],
        latitude=order["latitude"],
        longitude=order["longitude"],
        deadline=order["deadline"],
        today=today,
    )


def refusal_for(
    candidate: Candidate | None, order: dict[str, Any], today: date, *, reading: bool = False
) -> str | None:
    """The rule that keeps this tailor from this order, None if they may have it. The order's
    radius is how far its dispatch has reached (`dispatch_radius_km`), as for the alerts."""
    if candidate is None:
        return NOT_LOCATED
    facts = order_facts(order, today)
    return exclusion(candidate, facts, order["dispatch_radius_km"], reading=reading)
