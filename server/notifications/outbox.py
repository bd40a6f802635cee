"""What the worker and a channel say to each other, whatever the channel.

The worker (worker.py) claims due deliveries of every channel it has, hands each to its
channel, and records the answers: it alone retries with backoff and dead-letters. A channel
(the push one is sender.py) only loads what its deliveries need, sends one, and keeps its
own records in the worker's transaction (for push: a device's last success, forgetting the
devices that are gone). Another channel (SMS, WhatsApp) is one more value of `Channel`, its
address column on `Delivery` if it needs one, its recipients in services.py's `RECIPIENTS`,
and a module of its own with a `DeliveryChannel` that `worker.running` is given.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

MAX_ATTEMPTS = 5
BACKOFF_BASE_S = 60.0
BACKOFF_CAP_S = 3600.0


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery and the notification it carries."""

    id: int
    channel: str  # a `Channel`'s value
    attempts: int  # including this one
    account_id: int
    kind: str
    title: str
    body: str
    url: str
    tag: str
    push_subscription_id: int | None  # the push channel's address


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    GONE = "gone"  # the address no longer exists: the channel forgets it
    REFUSED = "refused"  # an address we do not send to: forgotten too
    DEAD = "dead"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""
    # Seconds before the next attempt, for RETRY: what the other side asked for, else None
    # (then the worker backs off).
    delay: float | None = None


M = TypeVar("M")


class DeliveryChannel(Protocol[M]):
    """How the deliveries of one channel leave; `M` is what the channel sends one from."""

    @property
    def channel(self) -> str:
        """The `Channel` it sends (its value, as the outbox holds it)."""
        ...

    @property
    def max_attempts(self) -> int:
        """Tries before a delivery that keeps failing is dead-lettered."""
        ...

    async def prepare(self, deliveries: Sequence[Outgoing]) -> Mapping[int, M]:
        """What sending each delivery needs, by delivery id; one left out has nobody to go
        to any more (its address went meanwhile) and is dead-lettered."""
        ...

    async def send(self, message: M, now: datetime) -> Result:
        """Hand one over; never raises (but can be cancelled)."""
        ...

    async def settle(self, results: Sequence[tuple[M, Result]], now: datetime) -> None:
        """The channel's own records of a batch, in the transaction that records it."""
        ...


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: doubling, capped, with jitter."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))
    return delay + random.uniform(0, delay / 2)  # noqa: S311 (spreading retries, not a secret)


def retry_or_give_up(
    error: str, attempts: int, max_attempts: int = MAX_ATTEMPTS, delay: float | None = None
) -> Result:
    """A failure that may pass: tried again after `delay` (else a backoff), unless this was
    the last attempt. The worker applies it to every RETRY, so a channel need not."""
    if attempts >= max_attempts:
        return Result(Outcome.DEAD, f"{error} (gave up after {attempts} attempts)")
    return Result(Outcome.RETRY, error, backoff(attempts) if delay is None else delay)
