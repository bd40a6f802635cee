"""Devices that receive alerts (Web Push subscriptions), tied to the session that made them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from server.accounts.services import AccountError
from server.notifications.tables import PushSubscription

ENDPOINT_MAX = 1000


def parse_subscription(data: dict[str, Any]) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from the browser's PushSubscription.toJSON()."""
    endpoint = data.get("endpoint")
    keys = data.get("keys") or {}
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (
        isinstance(endpoint, str)
        and endpoint.startswith(("https://", "http://"))
        and len(endpoint) <= ENDPOINT_MAX
        and isinstance(p256dh, str)
        and 40 <= len(p256dh) <= 200
        and isinstance(auth, str)
        and 8 <= len(auth) <= 100
    ):
        raise AccountError("bad_subscription")
    return endpoint, p256dh, auth


async def save_subscription(
    account_id: int, session_id: int, data: dict[str, Any], device: str
) -> None:
    """Store (or move to this account and session) the browser's subscription."""
    endpoint, p256dh, auth = parse_subscription(data)
    # One statement, so the same browser subscribing twice at once cannot insert it twice.
    await PushSubscription.insert(
        PushSubscription(
            account=account_id,
            session=session_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            device=device[:200],
        )
    ).on_conflict(
        target=PushSubscription.endpoint,
        action="DO UPDATE",
        values=[
            PushSubscription.account,
            PushSubscription.session,
            PushSubscription.p256dh,
            PushSubscription.auth,
            PushSubscription.device,
        ],
    )


async def replace_subscription(old_endpoint: str, data: dict[str, Any]) -> bool:
    """The browser renewed its subscription (pushsubscriptionchange): keep owner and session.

    Knowing the old endpoint is the proof: it is a secret only that browser and we hold."""
    endpoint, p256dh, auth = parse_subscription(data)
    rows = await (
        PushSubscription.update(
            {
                PushSubscription.endpoint: endpoint,
                PushSubscription.p256dh: p256dh,
                PushSubscription.auth: auth,
            }
        )
        .where(PushSubscription.endpoint == old_endpoint)
        .returning(PushSubscription.id)
    )
    return bool(rows)


async def list_subscriptions(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        PushSubscription.select(
            PushSubscription.public_id,
            PushSubscription.device,
            PushSubscription.created_at,
            PushSubscription.last_success_at,
            PushSubscription.session,
        )
        .where(PushSubscription.account == account_id)
        .order_by(PushSubscription.created_at)
    )
    return rows


async def session_has_subscription(session_id: int) -> bool:
    """Whether the browser signed in with this session receives alerts (as the server knows)."""
    return bool(await PushSubscription.exists().where(PushSubscription.session == session_id))


async def remove_subscription(account_id: int, public_id: UUID) -> bool:
    rows = await (
        PushSubscription.delete()
        .where((PushSubscription.account == account_id) & (PushSubscription.public_id == public_id))
        .returning(PushSubscription.id)
    )
    return bool(rows)


async def remove_by_endpoint(account_id: int, endpoint: str) -> None:
    await PushSubscription.delete().where(
        (PushSubscription.account == account_id) & (PushSubscription.endpoint == endpoint)
    )
