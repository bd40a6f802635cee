"""The kinds of alert, and how each is pushed: time to live, urgency, quiet hours."""

from __future__ import annotations

from dataclasses import dataclass

from server.web.i18n import gettext as _

HOUR = 3600


@dataclass(frozen=True)
class Kind:
    name: str
    ttl: int  # seconds a push service keeps it for a phone that is off; never 0
    urgency: str  # very-low | low | normal | high (RFC 8030)

    @property
    def waits_for_quiet_hours(self) -> bool:
        return self.urgency != "high"


KINDS = {
    kind.name: kind
    for kind in (
        Kind("new_order", ttl=4 * HOUR, urgency="high"),
        Kind("offer", ttl=24 * HOUR, urgency="normal"),
        Kind("order_update", ttl=24 * HOUR, urgency="normal"),
        Kind("message", ttl=24 * HOUR, urgency="normal"),
        Kind("account", ttl=7 * 24 * HOUR, urgency="normal"),
    )
}


def kind_labels() -> dict[str, str]:
    return {
        "new_order": _("New orders near you"),
        "offer": _("Offers: new, accepted or declined"),
        "order_update": _("Order updates (production stages, payments)"),
        "message": _("Messages"),
        "account": _("Account and certificate news"),
    }
