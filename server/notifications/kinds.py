"""The kinds of alert, and how each is pushed: time to live, urgency, quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.web.i18n import gettext as _

HOUR = 3600


class AlertKind(StrEnum):
    """What an alert is about; the value is what the database and the settings form hold."""

    NEW_ORDER = "new_order"
    OFFER = "offer"
    ORDER_UPDATE = "order_update"
    MESSAGE = "message"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Kind:
    name: AlertKind
    ttl: int  # seconds a push service keeps it for a phone that is off; never 0
    urgency: str  # very-low | low | normal | high (RFC 8030)

    @property
    def waits_for_quiet_hours(self) -> bool:
        return self.urgency != "high"


KINDS: dict[AlertKind, Kind] = {
    kind.name: kind
    for kind in (
        Kind(AlertKind.NEW_ORDER, ttl=4 * HOUR, urgency="high"),
        Kind(AlertKind.OFFER, ttl=24 * HOUR, urgency="normal"),
        Kind(AlertKind.ORDER_UPDATE, ttl=24 * HOUR, urgency="normal"),
        Kind(AlertKind.MESSAGE, ttl=24 * HOUR, urgency="normal"),
        Kind(AlertKind.ACCOUNT, ttl=7 * 24 * HOUR, urgency="normal"),
    )
}


def known_kind(value: str) -> AlertKind | None:
    """The kind a stored value names, or None for one this release does not know."""
    try:
        return AlertKind(value)
    except ValueError:
        return None


def kind_labels() -> dict[AlertKind, str]:
    return {
        AlertKind.NEW_ORDER: _("New orders near you"),
        AlertKind.OFFER: _("Offers: new, accepted or declined"),
        AlertKind.ORDER_UPDATE: _("Order updates (production stages, payments)"),
        AlertKind.MESSAGE: _("Messages"),
        AlertKind.ACCOUNT: _("Account and certificate news"),
    }
