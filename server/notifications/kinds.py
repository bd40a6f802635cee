"""The kinds of alert, and what holds for each on every channel: whether it waits out the
person's quiet hours. How a channel sends each kind (push: time to live, urgency) is the
channel's own (sender.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.web.i18n import gettext as _


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
    waits_for_quiet_hours: bool = True  # a new order cannot wait: it is gone by morning


KINDS: dict[AlertKind, Kind] = {
    kind.name: kind
    for kind in (
        Kind(AlertKind.NEW_ORDER, waits_for_quiet_hours=False),
        Kind(AlertKind.OFFER),
        Kind(AlertKind.ORDER_UPDATE),
        Kind(AlertKind.MESSAGE),
        Kind(AlertKind.ACCOUNT),
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
