"""The outbox worker: claims due deliveries, hands each to its channel (push today: sender.py)
concurrently, and records what happened. Claiming, retrying with backoff and dead-lettering
are done here once, for every channel (outbox.py says what a channel must do).

Any number of workers may run against one PostgreSQL (rows are claimed with SKIP LOCKED);
on SQLite the write lock serialises claims. A worker that dies mid-send leaves rows in
"sending"; `reclaim_stuck` puts them back, so a push may then arrive twice but never not at all.
A worker claims only the channels it was given.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server import clock
from server.background import background
from server.db import transaction
from server.notifications.outbox import DeliveryChannel, Outcome, Outgoing, Result, retry_or_give_up
from server.notifications.sender import Sender, new_http_session
from server.notifications.tables import Channel, Delivery, DeliveryStatus
from server.notifications.vapid import VapidKeys

logger = logging.getLogger(__name__)

BATCH = 500
CONCURRENCY = 50
POLL_S = 1.0
RECLAIM_EVERY_S = 60.0
STUCK_AFTER = timedelta(minutes=5)  # far beyond a batch's worst case (timeouts of 10 s)
NO_ADDRESS = "its address is gone"

AnyChannel = DeliveryChannel[Any]

# One statement each: the claim and the notification to send come back together. `{channels}`
# is one placeholder per channel the worker sends.
CLAIM_POSTGRES = """
UPDATE delivery AS d
SET status = 'sending', claimed_at = {{}}, attempts = d.attempts + 1
FROM notification AS n
WHERE d.id IN (
    SELECT id FROM delivery
    WHERE status = 'pending' AND next_attempt_at <= {{}} AND channel IN ({channels})
    ORDER BY next_attempt_at, id
    LIMIT {{}}
    FOR UPDATE SKIP LOCKED
)
  AND n.id = d.notification
RETURNING d.id, d.channel, d.attempts, d.push_subscription,
    n.account, n.kind, n.title, n.body, n.url, n.tag
"""
# SQLite's RETURNING cannot name the tables of UPDATE ... FROM, hence the subqueries.
CLAIM_SQLITE = """
UPDATE delivery
SET status = 'sending', claimed_at = {{}}, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM delivery
    WHERE status = 'pending' AND next_attempt_at <= {{}} AND channel IN ({channels})
    ORDER BY next_attempt_at, id
    LIMIT {{}}
)
RETURNING id, channel, attempts, push_subscription,
    (SELECT account FROM notification AS n WHERE n.id = notification) AS account,
    (SELECT kind FROM notification AS n WHERE n.id = notification) AS kind,
    (SELECT title FROM notification AS n WHERE n.id = notification) AS title,
    (SELECT body FROM notification AS n WHERE n.id = notification) AS body,
    (SELECT url FROM notification AS n WHERE n.id = notification) AS url,
    (SELECT tag FROM notification AS n WHERE n.id = notification) AS tag
"""


async def has_due(now: datetime, channels: Sequence[str] = tuple(Channel)) -> bool:
    """A cheap read first: on SQLite an idle poll then never takes the write lock."""
    return bool(
        await Delivery.exists().where(
            (Delivery.status == DeliveryStatus.PENDING)
            & (Delivery.next_attempt_at <= now)
            & Delivery.channel.is_in(list(channels))
        )
    )


async def claim_due(
    limit: int, now: datetime | None = None, channels: Sequence[str] = tuple(Channel)
) -> list[Outgoing]:
    """Mark up to `limit` due rows of these channels as being sent by this worker, and return
    them."""
    now = now or clock.now()
    placeholders = ", ".join("{}" for _ in channels)
    if isinstance(Delivery._meta.db, PostgresEngine):
        sql = CLAIM_POSTGRES.format(channels=placeholders)
        rows = await Delivery.raw(sql, now, now, *channels, limit)
    else:
        sql = CLAIM_SQLITE.format(channels=placeholders)
        async with transaction():  # BEGIN IMMEDIATE: the write lock serialises the claims
            rows = await Delivery.raw(sql, now, now, *channels, limit)
    return sorted((to_outgoing(row) for row in rows), key=lambda delivery: delivery.id)


def to_outgoing(row: dict[str, Any]) -> Outgoing:
    return Outgoing(
        id=int(row["id"]),
        channel=row["channel"],
        attempts=int(row["attempts"]),
        account_id=int(row["account"]),
        kind=row["kind"],
        title=row["title"],
        body=row["body"] or "",
        url=row["url"] or "/",
        tag=row["tag"] or "",
        push_subscription_id=row["push_subscription"],
    )


async def reclaim_stuck(stuck_after: timedelta = STUCK_AFTER, now: datetime | None = None) -> int:
    """Rows a dead worker claimed go back to the queue."""
    rows = await (
        Delivery.update({Delivery.status: DeliveryStatus.PENDING, Delivery.claimed_at: None})
        .where(
            (Delivery.status == DeliveryStatus.SENDING)
            & (Delivery.claimed_at < (now or clock.now()) - stuck_after)
        )
        .returning(Delivery.id)
    )
    if rows:
        logger.warning("outbox worker: reclaimed %d stuck deliveries", len(rows))
    return len(rows)


@dataclass(frozen=True)
class Answer:
    delivery: Outgoing
    channel: AnyChannel
    message: Any  # what the channel made of the delivery; None when its address went meanwhile
    result: Result

    def settled(self) -> Result:
        """The result under the one retry policy: a RETRY waits (what the other side asked
        for, else a backoff), or is dead-lettered after the channel's last attempt."""
        if self.result.outcome is not Outcome.RETRY:
            return self.result
        return retry_or_give_up(
            self.result.error,
            self.delivery.attempts,
            self.channel.max_attempts,
            self.result.delay,
        )


async def record(answers: Sequence[Answer], now: datetime) -> None:
    """Each delivery's new state, then each channel's own records, in one transaction."""
    sending = Delivery.status == DeliveryStatus.SENDING
    settled = [(answer, answer.settled()) for answer in answers]
    sent = [answer.delivery.id for answer, result in settled if result.outcome is Outcome.SENT]
    async with transaction():
        if sent:
            await Delivery.update(
                {
                    Delivery.status: DeliveryStatus.SENT,
                    Delivery.sent_at: now,
                    Delivery.last_error: "",
                }
            ).where(Delivery.id.is_in(sent) & sending)
        for answer, result in settled:
            if result.outcome is Outcome.RETRY:
                await Delivery.update(
                    {
                        Delivery.status: DeliveryStatus.PENDING,
                        Delivery.next_attempt_at: now + timedelta(seconds=result.delay or 0.0),
                        Delivery.claimed_at: None,
                        Delivery.last_error: result.error,
                    }
                ).where((Delivery.id == answer.delivery.id) & sending)
            elif result.outcome is not Outcome.SENT:  # dead; or gone or refused, for good too
                await Delivery.update(
                    {Delivery.status: DeliveryStatus.DEAD, Delivery.last_error: result.error}
                ).where((Delivery.id == answer.delivery.id) & sending)
        channels = {answer.delivery.channel: answer.channel for answer in answers}
        for name, channel in channels.items():
            answered = [
                (answer.message, result)
                for answer, result in settled
                if answer.delivery.channel == name and answer.message is not None
            ]
            if answered:
                await channel.settle(answered, now)


def by_channel(channels: Sequence[AnyChannel]) -> dict[str, AnyChannel]:
    registry = {channel.channel: channel for channel in channels}
    if not registry or len(registry) != len(channels):
        raise ValueError("the worker needs one sender per channel it sends")
    return registry


async def run_once(
    *channels: AnyChannel,
    limit: int = BATCH,
    concurrency: int = CONCURRENCY,
    now: datetime | None = None,
) -> int:
    """Claim one batch of these channels' deliveries, send it, record the results; returns how
    many were claimed."""
    registry = by_channel(channels)
    moment = now or clock.now()
    if not await has_due(moment, list(registry)):
        return 0
    claimed = await claim_due(limit, moment, list(registry))
    if not claimed:
        return 0
    semaphore = asyncio.Semaphore(concurrency)

    async def send(channel: AnyChannel, delivery: Outgoing, message: Any) -> Answer:
        if message is None:
            return Answer(delivery, channel, None, Result(Outcome.GONE, NO_ADDRESS))
        async with semaphore:
            return Answer(
                delivery, channel, message, await channel.send(message, now or clock.now())
            )

    sends = []
    for name, channel in registry.items():
        deliveries = [delivery for delivery in claimed if delivery.channel == name]
        if deliveries:
            messages = await channel.prepare(deliveries)
            sends += [send(channel, delivery, messages.get(delivery.id)) for delivery in deliveries]
    await record(await asyncio.gather(*sends), now or clock.now())
    return len(claimed)


async def run_forever(
    *channels: AnyChannel,
    stop: asyncio.Event,
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
            handled = await run_once(*channels, limit=limit)
            failures = 0
        except Exception:
            failures += 1
            logger.exception("outbox worker: batch failed (%d in a row)", failures)
        if handled < limit:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll * min(2**failures, 60))


async def run_daily(jobs: Sequence[Callable[[], Awaitable[object]]]) -> None:
    for job in jobs:
        try:
            await job()
        except Exception:
            logger.exception("outbox worker: daily job %s failed", getattr(job, "__name__", job))


@contextlib.asynccontextmanager
async def running(
    keys: VapidKeys,
    icon: str,
    daily: Sequence[Callable[[], Awaitable[object]]] = (),
    *,
    allow_local_endpoints: bool = False,
) -> AsyncIterator[asyncio.Task[None]]:
    """The worker, sending every channel (push), as a background task of the current event
    loop, stopped cleanly on exit. `allow_local_endpoints` (PUSH_ALLOW_LOCAL_ENDPOINTS) also
    sends to loopback endpoints."""
    async with new_http_session(allow_local=allow_local_endpoints) as session:
        sender = Sender(
            session=session,
            vapid=keys.vapid,
            subject=keys.subject,
            icon=icon,
            allow_local=allow_local_endpoints,
        )
        async with background(
            lambda stop: run_forever(sender, stop=stop, daily=daily),
            name="outbox-worker",
            cut_short="outbox worker: stopped mid-batch; its rows will be reclaimed",
        ) as task:
            yield task
