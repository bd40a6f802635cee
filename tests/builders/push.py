"""Push: people with subscribed browsers, notification preferences, a sender, the outbox rows."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, overload

from server.accounts.tables import Role
from server.auth.tables import Session
from server.notifications.sender import Sender, new_http_session
from server.notifications.services import Alert, notify
from server.notifications.subscriptions import save_subscription
from server.notifications.tables import Delivery, NotificationPreference, PushSubscription
from server.notifications.vapid import VapidKeys
from tests.builders.people import account
from tests.push_receiver import Browser, PushReceiver

ICON = "/static/0123456789ab/icons/icon-192.png"
SUBJECT = "mailto:ops@clothingline.example"
# Noon in Jakarta yesterday: outside quiet hours, and already due.
YESTERDAY = datetime.now(UTC) - timedelta(days=1)
NOON_WIB = YESTERDAY.replace(hour=5, minute=0, second=0, microsecond=0)


async def person(
    name: str = "Siti Rahayu", phone: str = "0812-3456-7890", role: str = Role.TAILOR
) -> int:
    """Someone who reads their alerts in Indonesian."""
    return await account(role, name, phone, invited=True, locale="id")


async def stored_subscription(account_id: int, endpoint: str, keys: dict[str, str]) -> None:
    """A subscription row written straight to the table, with a session of its own: as if the
    subscribe route's checks were bypassed, or another person's browser had subscribed."""
    session = await Session.insert(
        Session(
            token_hash=secrets.token_hex(32),
            account=account_id,
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
    ).returning(Session.id)
    await PushSubscription.insert(
        PushSubscription(
            account=account_id,
            session=session[0]["id"],
            endpoint=endpoint,
            p256dh=keys["p256dh"],
            auth=keys["auth"],
        )
    )


@overload
async def subscribe(account_id: int) -> None: ...
@overload
async def subscribe(account_id: int, receiver: PushReceiver) -> Browser: ...
async def subscribe(account_id: int, receiver: PushReceiver | None = None) -> Browser | None:
    """A signed-in phone that allowed notifications, its endpoint on the local receiver (on
    loopback: allowed explicitly, as PUSH_ALLOW_LOCAL_ENDPOINTS does for a development run).
    Without a receiver: a subscription row whose endpoint is never called."""
    if receiver is None:
        await PushSubscription.insert(
            PushSubscription(
                account=account_id,
                endpoint=f"https://push.invalid/{account_id}",
                p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                auth="tBHItJI5svbpez7KI4CCXg",
            )
        )
        return None
    browser = receiver.browser()
    rows = await Session.insert(
        Session(
            token_hash=secrets.token_hex(32),
            account=account_id,
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
    ).returning(Session.id)
    await save_subscription(
        account_id, rows[0]["id"], browser.subscription(), "Android Chrome", allow_local=True
    )
    return browser


async def prefer(account_id: int, *, disabled: str = "[]", per_hour: int = 10) -> None:
    """Notification preferences: these kinds off, no quiet hours, at most `per_hour` new orders."""
    await NotificationPreference.insert(
        NotificationPreference(
            account=account_id,
            disabled_kinds=disabled,
            quiet_start="00:00",
            quiet_end="00:00",
            new_orders_per_hour=per_hour,
        )
    )


def alert(title: str = "Pesanan baru", body: str = "Kemeja batik, 24 pcs", tag: str = "") -> Any:
    return lambda: Alert(title=title, body=body, url="/orders/42", tag=tag)


async def notify_one(account_id: int, kind: str = "order_update", **texts: str) -> int:
    notification_id = await notify(account_id, kind, alert(**texts), at=NOON_WIB)
    assert notification_id is not None
    return notification_id


async def deliveries() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Delivery.select().order_by(Delivery.id)
    return rows


async def only_delivery() -> dict[str, Any]:
    rows = await deliveries()
    assert len(rows) == 1, rows
    return rows[0]


@asynccontextmanager
async def sender_for(
    keys: VapidKeys, *, allow_local: bool, **options: Any
) -> AsyncIterator[Sender]:
    """`allow_local=True`: loopback endpoints (the local receiver) allowed, as
    PUSH_ALLOW_LOCAL_ENDPOINTS does; False: the production sender."""
    async with new_http_session(allow_local=allow_local) as session:
        yield Sender(
            session=session,
            vapid=keys.vapid,
            subject=keys.subject,
            icon=ICON,
            allow_local=allow_local,
            **options,
        )
