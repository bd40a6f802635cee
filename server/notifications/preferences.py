"""What someone wants to be alerted about, and when: checked from the settings form, then saved."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from server.accounts.tables import Role
from server.notifications.kinds import AlertKind
from server.notifications.refusals import PreferenceError
from server.notifications.services import Preferences, parse_clock
from server.notifications.tables import NotificationPreference

# The kinds each role can receive: a designer never gets dispatch alerts, an admin only news.
KINDS_BY_ROLE: dict[Role, tuple[AlertKind, ...]] = {
    Role.TAILOR: (
        AlertKind.NEW_ORDER,
        AlertKind.OFFER,
        AlertKind.ORDER_UPDATE,
        AlertKind.MESSAGE,
        AlertKind.ACCOUNT,
    ),
    Role.DESIGNER: (AlertKind.OFFER, AlertKind.ORDER_UPDATE, AlertKind.MESSAGE, AlertKind.ACCOUNT),
    Role.ADMIN: (AlertKind.ACCOUNT,),
}
CAP_RANGE = (1, 60)
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def kinds_for(role: Role) -> tuple[AlertKind, ...]:
    return KINDS_BY_ROLE.get(role, ())


def parse_preferences(
    role: Role,
    *,
    enabled: Iterable[str],
    quiet_start: str,
    quiet_end: str,
    new_orders_per_hour: str | None,
    current: Preferences,
) -> Preferences:
    """The form's values as Preferences; a tailor's hourly cap, others keep theirs."""
    allowed = kinds_for(role)
    chosen = set(enabled)
    if not chosen <= set(allowed):
        raise PreferenceError("unknown_kind", "kinds")
    for field, value in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if not CLOCK.fullmatch(value.strip()):
            raise PreferenceError("bad_time", field)
    cap = current.new_orders_per_hour
    if role == Role.TAILOR:
        text = (new_orders_per_hour or "").strip()
        # isdigit() alone lets "²" through, which int() refuses.
        if not (text.isascii() and text.isdigit()) or not CAP_RANGE[0] <= int(text) <= CAP_RANGE[1]:
            raise PreferenceError("bad_cap", "new_orders_per_hour")
        cap = int(text)
    return Preferences(
        disabled_kinds=frozenset(kind for kind in allowed if kind not in chosen),
        quiet_start=parse_clock(quiet_start.strip()),
        quiet_end=parse_clock(quiet_end.strip()),
        new_orders_per_hour=cap,
    )


async def save_preferences(account_id: int, preferences: Preferences) -> None:
    row = NotificationPreference(
        account=account_id,
        disabled_kinds=json.dumps(sorted(preferences.disabled_kinds)),
        quiet_start=preferences.quiet_start.strftime("%H:%M"),
        quiet_end=preferences.quiet_end.strftime("%H:%M"),
        new_orders_per_hour=preferences.new_orders_per_hour,
    )
    # One statement, so two first saves at once cannot both insert.
    await NotificationPreference.insert(row).on_conflict(
        target=NotificationPreference.account,
        action="DO UPDATE",
        values=[
            NotificationPreference.disabled_kinds,
            NotificationPreference.quiet_start,
            NotificationPreference.quiet_end,
            NotificationPreference.new_orders_per_hour,
        ],
    )
