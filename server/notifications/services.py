"""Notify someone: an in-app notification, plus one outbox delivery per address they have on
each channel (push: their subscribed devices), written in the caller's transaction. The
worker sends them later (worker.py). Preferences, quiet hours and the hourly cap apply here,
to every channel alike."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.accounts.tables import Account, AccountStatus, Role
from server.clock import now
from server.notifications.kinds import KINDS, AlertKind
from server.notifications.subscriptions import push_deliveries
from server.notifications.tables import Delivery, Notification, NotificationPreference
from server.web import i18n

DEFAULT_QUIET = ("21:00", "06:00")
DEFAULT_NEW_ORDERS_PER_HOUR = 10
# Each channel's deliveries for one account: a row per address, for `queue_deliveries` to
# fill in the notification and when it is due.
RECIPIENTS: tuple[Callable[[int], Awaitable[list[Delivery]]], ...] = (push_deliveries,)


@dataclass(frozen=True)
class Alert:
    title: str
    body: str
    url: str
    tag: str = ""


@dataclass(frozen=True)
class Preferences:
    disabled_kinds: frozenset[str]
    quiet_start: time
    quiet_end: time
    new_orders_per_hour: int


def parse_clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


async def preferences_of(account_id: int) -> Preferences:
    row = (
        await NotificationPreference.select()
        .where(NotificationPreference.account == account_id)
        .first()
    )
    if row is None:
        return Preferences(
            frozenset(),
            parse_clock(DEFAULT_QUIET[0]),
            parse_clock(DEFAULT_QUIET[1]),
            DEFAULT_NEW_ORDERS_PER_HOUR,
        )
    disabled = row["disabled_kinds"]
    return Preferences(
        disabled_kinds=frozenset(json.loads(disabled) if isinstance(disabled, str) else disabled),
        quiet_start=parse_clock(row["quiet_start"]),
        quiet_end=parse_clock(row["quiet_end"]),
        new_orders_per_hour=int(row["new_orders_per_hour"]),
    )


def quiet_until(moment: datetime, zone: str, start: time, end: time) -> datetime | None:
    """When quiet hours (in the person's zone) end, if `moment` falls inside them."""
    if start == end:
        return None
    local = moment.astimezone(ZoneInfo(zone))
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def notify(
    account_id: int,
    kind: AlertKind,
    make_alert: Callable[[], Alert],
    *,
    at: datetime | None = None,
) -> int | None:
    """Record a notification and queue its deliveries; call inside the transaction of the event.

    `make_alert` builds the texts with gettext; it runs in the recipient's language."""
    account = (
        await Account.select(Account.locale, Account.timezone)
        .where(Account.id == account_id)
        .first()
    )
    if account is None:
        return None
    moment = at or now()
    with i18n.using_locale(account["locale"] or i18n.DEFAULT_LOCALE):
        alert = make_alert()
    rows = await Notification.insert(
        Notification(
            account=account_id,
            kind=kind,
            title=alert.title[:200],
            body=alert.body,
            url=alert.url,
            tag=alert.tag,
            created_at=moment,
        )
    ).returning(Notification.id)
    notification_id = int(rows[0]["id"])
    if await should_deliver(account_id, kind, moment):
        await queue_deliveries(notification_id, account_id, kind, account["timezone"], moment)
    return notification_id


async def should_deliver(account_id: int, kind: AlertKind, moment: datetime) -> bool:
    preferences = await preferences_of(account_id)
    if kind in preferences.disabled_kinds:
        return False
    if kind == AlertKind.NEW_ORDER:
        # Counted before this one was added to the outbox.
        pushed = await Notification.count().where(
            (Notification.account == account_id)
            & (Notification.kind == AlertKind.NEW_ORDER)
            & (Notification.created_at > moment - timedelta(hours=1))
            & Notification.id.is_in(Delivery.select(Delivery.notification))
        )
        return int(pushed) < preferences.new_orders_per_hour
    return True


async def queue_deliveries(
    notification_id: int, account_id: int, kind: AlertKind, zone: str, moment: datetime
) -> None:
    rows = [row for recipients in RECIPIENTS for row in await recipients(account_id)]
    if not rows:
        return
    due = moment
    if KINDS[kind].waits_for_quiet_hours:
        preferences = await preferences_of(account_id)
        due = quiet_until(moment, zone, preferences.quiet_start, preferences.quiet_end) or moment
    for row in rows:
        row.notification = notification_id
        row.next_attempt_at = due
    await Delivery.insert(*rows)


async def notify_admins(kind: AlertKind, make_alert: Callable[[], Alert]) -> None:
    admins = await Account.select(Account.id).where(
        (Account.role == Role.ADMIN) & (Account.status == AccountStatus.ACTIVE)
    )
    for admin in admins:
        await notify(admin["id"], kind, make_alert)
