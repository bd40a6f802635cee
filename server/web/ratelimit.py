"""Rate limits: which routes count against which limit, keyed by client address, phone number
or account, counted in a Litestar store.

The counting is GCRA (a token bucket kept as one timestamp per key): `burst` requests may come
at once, then one every `period / count` seconds. A refused request charges nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import parse_qs

import anyio
from litestar import Request
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.types import ASGIApp, Receive, Scope, Send

from server.phones import InvalidPhoneNumber, normalize_phone
from server.settings import Limit, RateLimits
from server.web.tables import RateLimitCounter

STORE_NAME = "rate_limit"  # the entry of `app.stores` holding the counters


class Key(Enum):
    CLIENT = "client"  # the peer address as uvicorn sees it (proxy headers from trusted proxies)
    PHONE = "phone"  # the WhatsApp number the request names, when it names a valid one
    ACCOUNT = "account"  # the signed-in account (the client address when nobody is signed in)


@dataclass(frozen=True)
class Rule:
    limit: str  # a field of RateLimits
    key: Key

    @property
    def signing_in(self) -> bool:
        return self.limit.startswith("sign_in")


SIGN_IN = (Rule("sign_in_per_client", Key.CLIENT),)
SIGN_IN_WITH_PHONE = (*SIGN_IN, Rule("sign_in_per_phone", Key.PHONE))
MESSAGES = (Rule("messages", Key.ACCOUNT),)
OFFERS = (Rule("offers", Key.ACCOUNT),)
ORDERS = (Rule("orders", Key.ACCOUNT),)
UPLOADS = (Rule("uploads", Key.ACCOUNT),)
PUSH_SUBSCRIPTIONS = (Rule("push_subscriptions", Key.ACCOUNT),)
DATA_DOWNLOADS = (Rule("data_downloads", Key.ACCOUNT),)

# (method, route path as Litestar formats it, parameters without their types) -> the limits a
# request counts against. Sign-out is not here on purpose: signing out must always work.
RULES: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("POST", "/auth/register/options"): SIGN_IN_WITH_PHONE,
    ("POST", "/auth/register/verify"): SIGN_IN,
    ("POST", "/auth/login/options"): SIGN_IN,
    ("POST", "/auth/login/verify"): SIGN_IN,
    ("POST", "/recover"): SIGN_IN_WITH_PHONE,
    ("GET", "/enrol/{token}"): SIGN_IN,
    ("POST", "/orders/{public_id}/messages"): MESSAGES,
    ("POST", "/orders/{public_id}/offers"): OFFERS,
    ("POST", "/orders/{public_id}/offers/withdraw"): OFFERS,
    ("POST", "/orders/{public_id}/take"): OFFERS,
    ("POST", "/orders"): ORDERS,
    ("POST", "/orders/{public_id}"): ORDERS,
    ("POST", "/orders/{public_id}/stages"): UPLOADS,
    ("POST", "/orders/{public_id}/payments/{kind}/paid"): UPLOADS,
    ("POST", "/onboarding/portfolio"): UPLOADS,
    ("POST", "/onboarding/certificate"): UPLOADS,
    ("POST", "/business-profile"): UPLOADS,
    ("POST", "/push/subscriptions"): PUSH_SUBSCRIPTIONS,
    ("POST", "/push/subscription-change"): PUSH_SUBSCRIPTIONS,
    ("GET", "/account/data"): DATA_DOWNLOADS,
}


class RateLimited(HTTPException):
    """Answered by server/web/errors.py as a page, a fragment or JSON saying when to retry."""

    status_code = HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, retry_after: int, signing_in: bool) -> None:
        super().__init__(
            detail="rate limited", headers={"Retry-After": str(retry_after)}, status_code=429
        )
        self.retry_after = retry_after
        self.signing_in = signing_in


class RateLimiter:
    """Counts hits in a Litestar `Store`.

    `hit` reads and writes each key under a lock of this process, which makes it exact for one
    process over a MemoryStore. Processes sharing a store need the read-and-write done
    atomically by the store, as `DatabaseRateLimiter` does it in PostgreSQL or SQLite.
    """

    def __init__(self, store: Store, limits: RateLimits, clock: Callable[[], float] = time.time):
        self.store = store
        self.limits = limits
        self.clock = clock
        self.lock = anyio.Lock()

    async def hit(self, keyed: Sequence[tuple[str, Limit]]) -> int | None:
        """Charge one request to every key, or to none: None, or the seconds to wait."""
        async with self.lock:
            now = self.clock()
            charges: list[tuple[str, float, Limit]] = []
            wait = 0.0
            for key, limit in keyed:
                stored = await self.store.get(key)
                interval = limit.period / limit.count
                arrival = max(float(stored.decode()) if stored else now, now) + interval
                wait = max(wait, arrival - now - interval * limit.burst)
                charges.append((key, arrival, limit))
            if wait > 0:
                return math.ceil(wait)
            for key, arrival, _limit in charges:
                await self.store.set(key, repr(arrival), expires_in=math.ceil(arrival - now))
        return None


# One key's charge: its arrival time moves one interval on, unless that lies beyond the ceiling
# (`burst` intervals ahead of now), and then the row is left alone and none is returned.
# Parameters: key, now + interval, now, interval, now, interval, ceiling. SQLite says MAX.
CHARGE = (
    "INSERT INTO rate_limit_counter (key, tat) VALUES ({}, {}) "
    "ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limit_counter.tat, {}) + {} "
    "WHERE GREATEST(rate_limit_counter.tat, {}) + {} <= {} "
    "RETURNING tat"
)


class DatabaseRateLimiter(RateLimiter):
    """Counts hits in the `rate_limit_counter` table, which every process on the database
    shares: the same GCRA as `RateLimiter`, each key charged by one atomic statement.

    Litestar's `Store` has no compare-and-set (its `get` then `set` race between processes), so
    this is a limiter of its own rather than a `Store` under `RateLimiter`. Keys are charged in
    order; when one refuses, the keys already charged get their interval back, so a refused
    request still charges nothing (another process may, for that instant, see them charged)."""

    PRUNE_EVERY = 60.0  # seconds between this process's deletions of spent rows

    def __init__(
        self, limits: RateLimits, postgres: bool, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(MemoryStore(), limits, clock)
        # Charged when the new arrival lies at most `burst` intervals ahead of now.
        self.charge_sql = CHARGE if postgres else CHARGE.replace("GREATEST", "MAX")
        self.pruned_at = 0.0

    async def hit(self, keyed: Sequence[tuple[str, Limit]]) -> int | None:
        now = self.clock()
        if now - self.pruned_at >= self.PRUNE_EVERY:
            self.pruned_at = now
            await RateLimitCounter.delete().where(RateLimitCounter.tat < now)
        charged: list[tuple[str, float]] = []
        for key, limit in keyed:
            interval = limit.period / limit.count
            ceiling = now + interval * limit.burst
            rows = await RateLimitCounter.raw(
                self.charge_sql, key, now + interval, now, interval, now, interval, ceiling
            )
            if rows:
                charged.append((key, interval))
                continue
            for done, given in charged:
                await RateLimitCounter.raw(
                    "UPDATE rate_limit_counter SET tat = tat - {} WHERE key = {}", given, done
                )
            tat = await (
                RateLimitCounter.select(RateLimitCounter.tat)
                .where(RateLimitCounter.key == key)
                .output(as_list=True)
            )
            arrival = max(tat[0] if tat else now, now) + interval
            return max(1, math.ceil(arrival - ceiling))
        return None


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def named_phone(request: Request[Any, Any, Any]) -> str | None:
    """The valid phone number a form or JSON body names. The body is cached for the handler."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    raw: Any = None
    try:
        if content_type.startswith("application/json"):
            data = json.loads(body or b"null")
            raw = data.get("phone") if isinstance(data, dict) else None
        elif content_type.startswith("application/x-www-form-urlencoded"):
            raw = next(iter(parse_qs(body.decode("utf-8", "replace")).get("phone", [])), None)
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, str):
        return None
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber:
        return None


async def key_of(rule: Rule, scope: Scope, request: Request[Any, Any, Any]) -> str | None:
    if rule.key is Key.ACCOUNT and scope.get("user") is not None:
        value = f"account:{scope['user'].account_id}"
    elif rule.key is Key.PHONE:
        phone = await named_phone(request)
        if phone is None:
            return None
        # Phone numbers stay out of a shared store.
        value = "phone:" + hashlib.sha256(phone.encode()).hexdigest()[:32]
    else:
        value = f"client:{client_address(scope)}"
    return f"{rule.limit}:{value}"


def rate_limit_middleware(app: ASGIApp) -> ASGIApp:
    """After routing and the session middleware: the route and the account are known."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        rules = RULES.get((str(scope.get("method")), str(scope.get("path_template"))))
        if scope["type"] == "http" and rules:
            limiter: RateLimiter = scope["app"].state.rate_limiter
            request: Request[Any, Any, Any] = Request(scope, receive)
            keyed = [
                (key, getattr(limiter.limits, rule.limit))
                for rule in rules
                if (key := await key_of(rule, scope, request)) is not None
            ]
            wait = await limiter.hit(keyed)
            if wait is not None:
                raise RateLimited(wait, signing_in=rules[0].signing_in)
        await app(scope, receive, send)

    return middleware
