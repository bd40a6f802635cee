"""Send one push to one browser's push service, and say what should happen next."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, cast

import aiohttp
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush_async

from server.notifications.endpoints import (
    EndpointRefused,
    PublicResolver,
    RefusedAddress,
    check_endpoint,
    guarded_socket_factory,
)
from server.notifications.kinds import KINDS, known_kind

logger = logging.getLogger(__name__)

PAYLOAD_LIMIT = 3072  # bytes of JSON; push services accept 4 KB once encrypted
TOPIC_LIMIT = 32
MAX_ATTEMPTS = 5
BACKOFF_BASE_S = 60.0
BACKOFF_CAP_S = 3600.0
RETRY_AFTER_CAP_S = 86400.0
SEND_TIMEOUT_S = 10.0
DEFAULT_TTL_S = 24 * 3600  # for a kind this process does not know yet (a newer release)
ICON_PATH = "icons/icon-192.png"


@dataclass(frozen=True)
class Push:
    """A claimed delivery with what sending it needs."""

    delivery_id: int
    subscription_id: int
    attempts: int  # including this one
    endpoint: str
    p256dh: str
    auth: str
    kind: str
    title: str
    body: str
    url: str
    tag: str


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    GONE = "gone"  # the subscription no longer exists: forget it
    REFUSED = "refused"  # not a push service we send to (or it redirected): forget it too
    DEAD = "dead"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""
    delay: float = 0.0  # seconds before the next attempt, for RETRY


def build_payload(title: str, body: str, url: str, tag: str, icon: str) -> str:
    """The JSON the service worker shows; the body is cut to keep it within PAYLOAD_LIMIT."""

    def payload(text: str) -> str:
        fields = {"title": title, "body": text, "url": url, "tag": tag, "icon": icon}
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))

    def fits(text: str) -> bool:
        return len(payload(text).encode()) <= PAYLOAD_LIMIT

    if fits(body):
        return payload(body)
    low, high = 0, len(body)  # the longest cut that fits lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(body[:middle] + "…") else (low, middle)
    return payload(body[:low].rstrip() + "…" if low else "")


def topic_for(tag: str) -> str | None:
    """RFC 8030 Topic: at most 32 URL-safe base64 characters. A newer push with the same topic
    replaces one still waiting at the push service, like the tag does on the phone."""
    if not tag:
        return None
    clean = re.sub(r"[^A-Za-z0-9_-]", "-", tag)
    if len(clean) <= TOPIC_LIMIT:
        return clean
    return urlsafe_b64encode(hashlib.sha256(tag.encode()).digest()).decode()[:TOPIC_LIMIT]


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: doubling, capped, with jitter."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))
    return delay + random.uniform(0, delay / 2)  # noqa: S311 (spreading retries, not a secret)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), RETRY_AFTER_CAP_S)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return min(max(0.0, (moment - now).total_seconds()), RETRY_AFTER_CAP_S)


def classify(
    status: int,
    retry_after: str | None,
    attempts: int,
    now: datetime,
    max_attempts: int = MAX_ATTEMPTS,
    error: str = "",
) -> Result:
    """What the push service's answer means for this delivery."""
    if 200 <= status < 300:
        return Result(Outcome.SENT)
    error = error or f"HTTP {status}"
    if 300 <= status < 400:  # push services never redirect; we do not follow
        return Result(Outcome.REFUSED, f"{error} (redirect not followed)")
    if status in (404, 410):
        return Result(Outcome.GONE, error)
    if status == 429 or status >= 500:
        return retry_or_give_up(error, attempts, max_attempts, parse_retry_after(retry_after, now))
    return Result(Outcome.DEAD, error)


def retry_or_give_up(
    error: str, attempts: int, max_attempts: int, delay: float | None = None
) -> Result:
    if attempts >= max_attempts:
        return Result(Outcome.DEAD, f"{error} (gave up after {attempts} attempts)")
    return Result(Outcome.RETRY, error, backoff(attempts) if delay is None else delay)


def new_http_session(*, allow_local: bool = False) -> aiohttp.ClientSession:
    """One session (and connection pool) for every push this process sends. It connects only
    to public addresses (loopback too with `allow_local`), checked on the resolved address it
    connects to, and it never reads the proxy settings of the environment."""
    connector = aiohttp.TCPConnector(
        limit=100,
        limit_per_host=50,
        resolver=PublicResolver(allow_local=allow_local),
        socket_factory=guarded_socket_factory(allow_local=allow_local),
    )
    return aiohttp.ClientSession(connector=connector, trust_env=False)


@dataclass(frozen=True)
class WithoutRedirects:
    """What pywebpush calls `session.post` on: the same session, never following a redirect
    (a 3xx comes back as the answer)."""

    session: aiohttp.ClientSession

    async def post(self, url: str, **options: Any) -> aiohttp.ClientResponse:
        return await self.session.post(url, allow_redirects=False, **options)


@dataclass(frozen=True)
class Sender:
    session: aiohttp.ClientSession
    vapid: Vapid02  # RFC 8292 `vapid t=…, k=…`
    subject: str  # the VAPID `sub` claim
    icon: str  # URL of the 192 px app icon
    timeout: float = SEND_TIMEOUT_S
    max_attempts: int = MAX_ATTEMPTS
    allow_local: bool = False  # loopback endpoints too: PUSH_ALLOW_LOCAL_ENDPOINTS

    async def send(self, push: Push, now: datetime) -> Result:
        """Hand one push to the push service; never raises (but can be cancelled)."""
        try:
            check_endpoint(push.endpoint, allow_local=self.allow_local)
        except EndpointRefused as error:
            return Result(Outcome.REFUSED, error.reason[:500])
        known = known_kind(push.kind)
        ttl, urgency = (
            (KINDS[known].ttl, KINDS[known].urgency)
            if known is not None
            else (DEFAULT_TTL_S, "normal")
        )
        headers = {"Urgency": urgency}
        topic = topic_for(push.tag)
        if topic:
            headers["Topic"] = topic
        try:
            await webpush_async(
                subscription_info={
                    "endpoint": push.endpoint,
                    "keys": {"p256dh": push.p256dh, "auth": push.auth},
                },
                data=build_payload(push.title, push.body, push.url, push.tag, self.icon),
                vapid_private_key=self.vapid,
                vapid_claims={"sub": self.subject},  # a fresh dict: pywebpush fills it in
                ttl=ttl,
                headers=headers,
                timeout=self.timeout,
                aiohttp_session=cast(aiohttp.ClientSession, WithoutRedirects(self.session)),
            )
        except WebPushException as error:
            response = error.response
            if response is None:  # refused before sending: a malformed subscription
                return Result(Outcome.DEAD, error.message[:500])
            return classify(
                int(response.status),
                response.headers.get("Retry-After"),
                push.attempts,
                now,
                self.max_attempts,
                error=error.message.replace("\n", " ")[:500],
            )
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, RefusedAddress):
                return Result(Outcome.REFUSED, str(error.os_error)[:500])
            return retry_or_give_up(network_error(error), push.attempts, self.max_attempts)
        except RefusedAddress as error:
            return Result(Outcome.REFUSED, str(error)[:500])
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return retry_or_give_up(network_error(error), push.attempts, self.max_attempts)
        except Exception as error:
            logger.exception("push %s: unexpected failure", push.delivery_id)
            return retry_or_give_up(network_error(error), push.attempts, self.max_attempts)
        return Result(Outcome.SENT)


def network_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
