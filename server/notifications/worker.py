"""The push worker: claims due outbox rows, sends them concurrently, records what happened.

Any number of workers may run against one PostgreSQL (rows are claimed with SKIP LOCKED);
on SQLite the write lock serialises claims. A worker that dies mid-send leaves rows in
"sending"; `reclaim_stuck` puts them back, so a push may then arrive twice but never not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server import clock
from server.background import background
from server.db import transaction
from server.notifications.sender import Outcome, Push, Result, Sender, new_http_session
from server.notifications.tables import DeliveryStatus, PushDelivery, PushSubscription
from server.notifications.vapid import VapidKeys

logger = logging.getLogger(__name__)

BATCH = 500
CONCURRENCY = 50
POLL_S = 1.0
RECLAIM_EVERY_S = 60.0
STUCK_AFTER = timedelta(minutes=5)  # far beyond a batch's worst case (timeouts of 10 s)

# One statement each: the claim and the data to send come back together.
CLAIM_POSTGRES = """
UPDATE push_delivery AS d
SET status = 'sending', claimed_at = {}, attempts = d.attempts + 1
FROM push_subscription AS s, notification AS n
WHERE d.id IN (
    SELECT id FROM push_delivery
    WHERE status = 'pending' AND next_attempt_at <= {}
    ORDER BY next_attempt_at, id
    LIMIT {}
    FOR UPDATE SKIP LOCKED
)
  AND s.id = d.subscription AND n.id = d.notification
RETURNING d.id, d.attempts, d.subscription, s.endpoint, s.p256dh, s.auth,
    n.kind, n.title, n.body, n.url, n.tag
"""
# SQLite's RETURNING cannot name the tables of UPDATE ... FROM, hence the subqueries.
CLAIM_SQLITE = """
UPDATE push_delivery
SET status = 'sending', claimed_at = {}, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM push_delivery
    WHERE status = 'pending' AND next_attempt_at <= {}
    ORDER BY next_attempt_at, id
    LIMIT {}
)
RETURNING id, attempts, subscription,
    (SELECT endpoint FROM push_subscription AS s WHERE s.id = subscription) AS endpoint,
    (SELECT p256dh FROM push_subscription AS s WHERE s.id = subscription) AS p256dh,
    (SELECT auth FROM push_subscription AS s WHERE s.id = subscription) AS auth,
    (SELECT kind FROM notification AS n WHERE n.id = notification) AS kind,
    (SELECT title FROM notification AS n WHERE n.id = notification) AS title,
    (SELECT body FROM notification AS n WHERE n.id = notification) AS body,
    (SELECT url FROM notification AS n WHERE n.id = notification) AS url,
    (SELECT tag FROM notification AS n WHERE n.id = notification) AS tag
"""


async def has_due(now: datetime) -> bool:
    """A cheap read first: on SQLite an idle poll then never takes the write lock."""
    return bool(
        await PushDelivery.exists().where(
            (PushDelivery.status == DeliveryStatus.PENDING) & (PushDelivery.next_attempt_at <= now)
        )
    )


async def claim_due(limit: int, now: datetime | None = None) -> list[Push]:
    """Mark up to `limit` due rows as being sent by this worker, and return them."""
    now = now or clock.now()
    if isinstance(PushDelivery._meta.db, PostgresEngine):
        rows = await PushDelivery.raw(CLAIM_POSTGRES, now, now, limit)
    else:
        async with transaction():  # BEGIN IMMEDIATE: the write lock serialises the claims
            rows = await PushDelivery.raw(CLAIM_SQLITE, now, now, limit)
    return sorted((to_push(row) for row in rows), key=lambda push: push.delivery_id)


def to_push(row: dict[str, Any]) -> Push:
    return Push(
        delivery_id=int(row["id"]),
        subscription_id=int(row["subscription"]),
        attempts=int(row["attempts"]),
        endpoint=row["endpoint"],
        p256dh=row["p256dh"],
        auth=row["auth"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"] or "",
        url=row["url"] or "/",
        tag=row["tag"] or "",
    )


async def reclaim_stuck(stuck_after: timedelta = STUCK_AFTER, now: datetime | None = None) -> int:
    """Rows a dead worker claimed go back to the queue."""
    rows = await (
        PushDelivery.update(
            {PushDelivery.status: DeliveryStatus.PENDING, PushDelivery.claimed_at: None}
        )
        .where(
            (PushDelivery.status == DeliveryStatus.SENDING)
            & (PushDelivery.claimed_at < (now or clock.now()) - stuck_after)
        )
        .returning(PushDelivery.id)
    )
    if rows:
        logger.warning("push worker: reclaimed %d stuck deliveries", len(rows))
    return len(rows)


async def record(results: Sequence[tuple[Push, Result]], now: datetime) -> None:
    by_outcome: dict[Outcome, list[tuple[Push, Result]]] = {outcome: [] for outcome in Outcome}
    for push, result in results:
        by_outcome[result.outcome].append((push, result))
    sent = [push for push, _ in by_outcome[Outcome.SENT]]
    sending = PushDelivery.status == DeliveryStatus.SENDING
    async with transaction():
        if sent:
            await PushDelivery.update(
                {
                    PushDelivery.status: DeliveryStatus.SENT,
                    PushDelivery.sent_at: now,
                    PushDelivery.last_error: "",
                }
            ).where(PushDelivery.id.is_in([push.delivery_id for push in sent]) & sending)
            await PushSubscription.update({PushSubscription.last_success_at: now}).where(
                PushSubscription.id.is_in(sorted({push.subscription_id for push in sent}))
            )
        for push, result in by_outcome[Outcome.REFUSED]:
            logger.warning(
                "push %s: subscription %s removed, its endpoint is refused: %s",
                push.delivery_id,
                push.subscription_id,
                result.error,
            )
        gone = sorted(
            {push.subscription_id for push, _ in by_outcome[Outcome.GONE]}
            | {push.subscription_id for push, _ in by_outcome[Outcome.REFUSED]}
        )
        if gone:
            # Its deliveries (this one included) go with it.
            await PushSubscription.delete().where(PushSubscription.id.is_in(gone))
        for push, result in by_outcome[Outcome.RETRY]:
            await PushDelivery.update(
                {
                    PushDelivery.status: DeliveryStatus.PENDING,
                    PushDelivery.next_attempt_at: now + timedelta(seconds=result.delay),
                    PushDelivery.claimed_at: None,
                    PushDelivery.last_error: result.error,
                }
            ).where((PushDelivery.id == push.delivery_id) & sending)
        for push, result in by_outcome[Outcome.DEAD]:
            await PushDelivery.update(
                {PushDelivery.status: DeliveryStatus.DEAD, PushDelivery.last_error: result.error}
            ).where((PushDelivery.id == push.delivery_id) & sending)


async def run_once(
    sender: Sender,
    *,
    limit: int = BATCH,
    concurrency: int = CONCURRENCY,
    now: datetime | None = None,
) -> int:
    """Claim one batch, send it, record the results; returns how many were claimed."""
    moment = now or clock.now()
    if not await has_due(moment):
        return 0
    pushes = await claim_due(limit, moment)
    if not pushes:
        return 0
    semaphore = asyncio.Semaphore(concurrency)

    async def send(push: Push) -> tuple[Push, Result]:
        async with semaphore:
            return push, await sender.send(push, now or clock.now())

    results = await asyncio.gather(*(send(push) for push in pushes))
    await record(results, now or clock.now())
    return len(pushes)


async def run_forever(
    sender: Sender,
    stop: asyncio.Event,
    *,
    limit: int = BATCH,
    poll: float = POLL_S,
    daily: Sequence[Callable[[], Awaitable[object]]] = (),
) -> None:
    """Send until `stop` is set; the batch in hand is finished first. `daily` jobs (cheap and
    idempotent: every worker runs them) run at start and then once a day."""
    loop = asyncio.get_running_loop()
    last_reclaim = -RECLAIM_EVERY_S
    last_daily: date | None = None
    failures = 0
    while not stop.is_set():
        handled = 0
        if daily and last_daily != clock.now().date():
            last_daily = clock.now().date()
            await run_daily(daily)
        try:
            if loop.time() - last_reclaim >= RECLAIM_EVERY_S:
                await reclaim_stuck()
                last_reclaim = loop.time()
            handled = await run_once(sender, limit=limit)
            failures = 0
        except Exception:
            failures += 1
            logger.exception("push worker: batch failed (%d in a row)", failures)
        if handled < limit:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll * min(2**failures, 60))


async def run_daily(jobs: Sequence[Callable[[], Awaitable[object]]]) -> None:
    for job in jobs:
        try:
            await job()
        except Exception:
            logger.exception("push worker: daily job %s failed", getattr(job, "__name__", job))


@contextlib.asynccontextmanager
async def running(
    keys: VapidKeys,
    icon: str,
    daily: Sequence[Callable[[], Awaitable[object]]] = (),
    *,
    allow_local_endpoints: bool = False,
) -> AsyncIterator[asyncio.Task[None]]:
    """The worker as a background task of the current event loop, stopped cleanly on exit.
    `allow_local_endpoints` (PUSH_ALLOW_LOCAL_ENDPOINTS) also sends to loopback endpoints."""
    async with new_http_session(allow_local=allow_local_endpoints) as session:
        sender = Sender(
            session=session,
            vapid=keys.vapid,
            subject=keys.subject,
            icon=icon,
            allow_local=allow_local_endpoints,
        )
        async with background(
            lambda stop: run_forever(sender, stop, daily=daily),
            name="push-worker",
            cut_short="push worker: stopped mid-batch; its rows will be reclaimed",
        ) as task:
            yield task
