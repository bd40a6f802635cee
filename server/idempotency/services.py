"""One-shot actions done once: a double tap, a reload after POST or a replay from an outbox
carries the key its form was rendered with, and gets the first answer again.

The key is inserted first, inside the action's own transaction (INSERT ... ON CONFLICT DO
NOTHING on the (account, key) index): a concurrent duplicate waits for that transaction and then
finds the key taken, on SQLite (one writer) and PostgreSQL alike. An action that fails rolls
its key back with everything else, so the person can try again with the same form."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.db import transaction
from server.idempotency.refusals import KeyRefused
from server.idempotency.tables import IdempotencyKey

# A phone that queued a form offline may send it the next day: keep keys two days.
KEEP_FOR = timedelta(hours=48)
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,100}")


@dataclass(frozen=True)
class Claim:
    """Who sends which key with which request (`action` is the method and path)."""

    account_id: int
    key: str
    action: str
    request_hash: str


@dataclass(frozen=True)
class Outcome:
    """What the action answered: a status and a redirect location or a body."""

    status: int
    location: str = ""
    body: str = ""


def mint_key() -> str:
    return secrets.token_urlsafe(24)


def request_hash(fields: Iterable[tuple[str, str]]) -> str:
    """The same fields in any order hash the same (a browser may reorder a form's parts)."""
    canonical = json.dumps(sorted(fields), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def once(
    claim: Claim | None, action: Callable[[], Awaitable[Outcome]]
) -> tuple[Outcome, bool]:
    """Run `action` unless this claim's key was used already; (outcome, replayed). Without a
    key the action simply runs."""
    if claim is None:
        return await action(), False
    if not KEY_PATTERN.fullmatch(claim.key):
        raise KeyRefused("form_reused")
    async with transaction():
        claimed = await (
            IdempotencyKey.insert(
                IdempotencyKey(
                    account=claim.account_id,
                    key=claim.key,
                    action=claim.action,
                    request_hash=claim.request_hash,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(IdempotencyKey.id)
        )
        if not claimed:
            return await stored_outcome(claim), True
        outcome = await action()
        await IdempotencyKey.update(
            {
                IdempotencyKey.status: outcome.status,
                IdempotencyKey.location: outcome.location,
                IdempotencyKey.body: outcome.body,
            }
        ).where(IdempotencyKey.id == claimed[0]["id"])
    return outcome, False


async def stored_outcome(claim: Claim) -> Outcome:
    row = (
        await IdempotencyKey.select()
        .where((IdempotencyKey.account == claim.account_id) & (IdempotencyKey.key == claim.key))
        .first()
    )
    if row is None or (row["action"], row["request_hash"]) != (claim.action, claim.request_hash):
        raise KeyRefused("form_reused")
    return Outcome(status=row["status"], location=row["location"], body=row["body"])


async def forget_old_keys(moment: datetime) -> int:
    """Housekeeping: keys older than KEEP_FOR go; reads only when there are none."""
    old = IdempotencyKey.created_at < moment - KEEP_FOR
    if not await IdempotencyKey.exists().where(old):
        return 0
    rows = await IdempotencyKey.delete().where(old).returning(IdempotencyKey.id)
    return len(rows)
