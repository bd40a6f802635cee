"""The dispatch rules (rules.exclusion) for one tailor and one order: who may see an order, its
photos and its place in the feed, and who may offer on it or take it. The order comes as its
OrderFacts (built by the order domain) and how far its dispatch has reached."""

from __future__ import annotations

from server.dispatch.rules import Candidate, OrderFacts, exclusion

NOT_LOCATED = "not_located"  # no place yet: no distance to measure, so no order is near


def refusal_for(
    candidate: Candidate | None,
    facts: OrderFacts,
    radius_km: float,
    *,
    reading: bool = False,
) -> str | None:
    """The rule that keeps this tailor from this order, None if they may have it. The order's
    radius is how far its dispatch has reached (`dispatch_radius_km`), as for the alerts."""
    if candidate is None:
        return NOT_LOCATED
    return exclusion(candidate, facts, radius_km, reading=reading)
