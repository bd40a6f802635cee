"""Devices that receive alerts (Web Push subscriptions), tied to the session that made them.

A subscription never changes account: the endpoint of another account's device is refused.
Each signed-in session has one subscription (a browser has one), and an account at most
MAX_DEVICES: a new device beyond that replaces the account's oldest one."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine

from server.db import transaction
from server.notifications.endpoints import EndpointRefused, check_endpoint
from server.notifications.refusals import SubscriptionError
from server.notifications.tables import Channel, Delivery, PushSubscription

MAX_DEVICES = 5
KEY_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+={0,2}")  # base64url, as toJSON() gives them


def parse_subscription(data: Any, *, allow_local: bool = False) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from the browser's PushSubscription.toJSON(); SubscriptionError
    `bad_subscription` when unreadable, `bad_endpoint` when not a browser push service."""
    if not isinstance(data, dict):
        raise SubscriptionError("bad_subscription")
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise SubscriptionError("bad_subscription")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (
        isinstance(p256dh, str)
        and 40 <= len(p256dh) <= 200
        and KEY_CHARACTERS.fullmatch(p256dh)
        and isinstance(auth, str)
        and 8 <= len(auth) <= 100
        and KEY_CHARACTERS.fullmatch(auth)
    ):
        raise SubscriptionError("bad_subscription")
    try:
        check_endpoint(endpoint, allow_local=allow_local)
    except EndpointRefused as error:
        raise SubscriptionError("bad_endpoint") from error
    return endpoint, p256dh, auth


async def lock_account(account_id: int) -> None:
    """Serialise one account's subscription changes (SQLite's write lock does it already)."""
    if isinstance(PushSubscription._meta.db, PostgresEngine):
        await PushSubscription.raw("SELECT id FROM account WHERE id = {} FOR UPDATE", account_id)


async def save_subscription(
    account_id: int,
    session_id: int,
    data: Any,
    device: str,
    *,
    allow_local: bool = False,
) -> None:
    """Store the browser's subscription for this account and session (the only one of this
    session), keeping the account within MAX_DEVICES. SubscriptionError `endpoint_taken` when the
    endpoint is another account's."""
    endpoint, p256dh, auth = parse_subscription(data, allow_local=allow_local)
    async with transaction():
        await lock_account(account_id)
        # One statement, so the same browser subscribing twice at once cannot insert it twice;
        # the row of another account is left as it is, and nothing comes back.
        saved = await (
            PushSubscription.insert(
                PushSubscription(
                    account=account_id,
                    session=session_id,
                    endpoint=endpoint,
                    p256dh=p256dh,
                    auth=auth,
                    device=device[:200],
                )
            )
            .on_conflict(
                target=PushSubscription.endpoint,
                action="DO UPDATE",
                values=[
                    PushSubscription.session,
                    PushSubscription.p256dh,
                    PushSubscription.auth,
                    PushSubscription.device,
                ],
                where=PushSubscription.account == account_id,
            )
            .returning(PushSubscription.id)
        )
        if not saved:
            raise SubscriptionError("endpoint_taken")
        kept = saved[0]["id"]
        await PushSubscription.delete().where(
            (PushSubscription.session == session_id) & (PushSubscription.id != kept)
        )
        await drop_beyond_cap(account_id)


async def drop_beyond_cap(account_id: int) -> None:
    rows = await (
        PushSubscription.select(PushSubscription.id)
        .where(PushSubscription.account == account_id)
        .order_by(PushSubscription.created_at, ascending=False)
        .order_by(PushSubscription.id, ascending=False)
    )
    oldest = [row["id"] for row in rows[MAX_DEVICES:]]
    if oldest:
        await PushSubscription.delete().where(PushSubscription.id.is_in(oldest))


async def replace_subscription(
    account_id: int, old_endpoint: str, data: Any, *, allow_local: bool = False
) -> None:
    """The browser renewed its subscription (pushsubscriptionchange): the same row, owner and
    session get the new endpoint and keys. SubscriptionError `unknown_subscription` when the old
    endpoint is not this account's; `endpoint_taken` when the new one is another account's.
    Renewing into an endpoint this account already has keeps that one row."""
    endpoint, p256dh, auth = parse_subscription(data, allow_local=allow_local)
    async with transaction():
        await lock_account(account_id)
        old = await (
            PushSubscription.select(PushSubscription.id)
            .where(
                (PushSubscription.account == account_id)
                & (PushSubscription.endpoint == old_endpoint)
            )
            .first()
        )
        if old is None:
            raise SubscriptionError("unknown_subscription")
        taken = await (
            PushSubscription.select(PushSubscription.id, PushSubscription.account)
            .where((PushSubscription.endpoint == endpoint) & (PushSubscription.id != old["id"]))
            .first()
        )
        if taken is not None and taken["account"] != account_id:
            raise SubscriptionError("endpoint_taken")
        if taken is not None:
            await PushSubscription.delete().where(PushSubscription.id == taken["id"])
        await PushSubscription.update(
            {
                PushSubscription.endpoint: endpoint,
                PushSubscription.p256dh: p256dh,
                PushSubscription.auth: auth,
            }
        ).where(PushSubscription.id == old["id"])


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


# Asked by the home screen on every visit: the statement written once.
SESSION_HAS_SUBSCRIPTION = f"""
SELECT EXISTS (SELECT 1 FROM "{PushSubscription._meta.tablename}" WHERE "session" = {{}}) AS found
"""  # noqa: S608 (the table's name)


async def session_has_subscription(session_id: int) -> bool:
    """Whether the browser signed in with this session receives alerts (as the server knows)."""
    rows = await PushSubscription.raw(SESSION_HAS_SUBSCRIPTION, session_id)
    return bool(rows[0]["found"])


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


async def push_deliveries(account_id: int) -> list[Delivery]:
    """The push channel's recipients of a notification: one delivery per subscribed device."""
    rows = await PushSubscription.select(PushSubscription.id).where(
        PushSubscription.account == account_id
    )
    return [Delivery(channel=Channel.PUSH, push_subscription=row["id"]) for row in rows]
