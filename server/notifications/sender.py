"""The push channel: one push to one browser's push service (Web Push, VAPID-signed, with the
time to live and urgency of its kind), and what the answer means for the delivery and the
device. Where it may connect is endpoints.py's to say; the devices are subscriptions.py's."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from base64 import urlsafe_b64encode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, cast

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
from server.notifications.kinds import AlertKind, known_kind
from server.notifications.outbox import (
    MAX_ATTEMPTS,
    Outcome,
    Outgoing,
    Result,
    retry_or_give_up,
)
from server.notifications.tables import Channel, PushSubscription

logger = logging.getLogger(__name__)

PAYLOAD_LIMIT = 3072  # bytes of JSON; push services accept 4 KB once encrypted
TOPIC_LIMIT = 32
RETRY_AFTER_CAP_S = 86400.0
SEND_TIMEOUT_S = 10.0
HOUR = 3600
ICON_PATH = "icons/icon-192.png"


@dataclass(frozen=True)
class PushKind:
    ttl: int  # seconds a push service keeps it for a phone that is off; never 0
    urgency: str  # very-low | low | normal | high (RFC 8030)


PUSH_KINDS: dict[AlertKind, PushKind] = {
    AlertKind.NEW_ORDER: PushKind(ttl=4 * HOUR, urgency="high"),
    AlertKind.OFFER: PushKind(ttl=24 * HOUR, urgency="normal"),
    AlertKind.ORDER_UPDATE: PushKind(ttl=24 * HOUR, urgency="normal"),
    AlertKind.MESSAGE: PushKind(ttl=24 * HOUR, urgency="normal"),
    AlertKind.ACCOUNT: PushKind(ttl=7 * 24 * HOUR, urgency="normal"),
}
UNKNOWN_KIND = PushKind(ttl=24 * HOUR, urgency="normal")  # of a newer release than this one


def push_kind(kind: str) -> PushKind:
    known = known_kind(kind)
    return UNKNOWN_KIND if known is None else PUSH_KINDS[known]


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
    """The push channel of the outbox worker (a `DeliveryChannel[Push]`)."""

    channel: ClassVar[Channel] = Channel.PUSH
    session: aiohttp.ClientSession
    vapid: Vapid02  # RFC 8292 `vapid t=…, k=…`
    subject: str  # the VAPID `sub` claim
    icon: str  # URL of the 192 px app icon
    timeout: float = SEND_TIMEOUT_S
    max_attempts: int = MAX_ATTEMPTS
    allow_local: bool = False  # loopback endpoints too: PUSH_ALLOW_LOCAL_ENDPOINTS

    async def prepare(self, deliveries: Sequence[Outgoing]) -> Mapping[int, Push]:
        """Each delivery with its device's endpoint and keys, as they are now."""
        ids = sorted(
            {d.push_subscription_id for d in deliveries if d.push_subscription_id is not None}
        )
        rows = (
            await PushSubscription.select(
                PushSubscription.id,
                PushSubscription.endpoint,
                PushSubscription.p256dh,
                PushSubscription.auth,
            ).where(PushSubscription.id.is_in(ids))
            if ids
            else []
        )
        devices = {row["id"]: row for row in rows}
        return {
            delivery.id: Push(
                delivery_id=delivery.id,
                subscription_id=device["id"],
                attempts=delivery.attempts,
                endpoint=device["endpoint"],
                p256dh=device["p256dh"],
                auth=device["auth"],
                kind=delivery.kind,
                title=delivery.title,
                body=delivery.body,
                url=delivery.url,
                tag=delivery.tag,
            )
            for delivery in deliveries
            if (device := devices.get(delivery.push_subscription_id))
        }

    async def settle(self, results: Sequence[tuple[Push, Result]], now: datetime) -> None:
        """A device that took a push has succeeded now; one whose push service says it is
        gone, or whose endpoint is refused, is forgotten (its deliveries go with it)."""
        sent = sorted({push.subscription_id for push, r in results if r.outcome is Outcome.SENT})
        if sent:
            await PushSubscription.update({PushSubscription.last_success_at: now}).where(
                PushSubscription.id.is_in(sent)
            )
        for push, result in results:
            if result.outcome is Outcome.REFUSED:
                logger.warning(
                    "push %s: subscription %s removed, its endpoint is refused: %s",
                    push.delivery_id,
                    push.subscription_id,
                    result.error,
                )
        gone = sorted(
            {
                push.subscription_id
                for push, result in results
                if result.outcome in (Outcome.GONE, Outcome.REFUSED)
            }
        )
        if gone:
            await PushSubscription.delete().where(PushSubscription.id.is_in(gone))

    async def send(self, push: Push, now: datetime) -> Result:
        """Hand one push to the push service; never raises (but can be cancelled)."""
        try:
            check_endpoint(push.endpoint, allow_local=self.allow_local)
        except EndpointRefused as error:
            return Result(Outcome.REFUSED, error.reason[:500])
        kind = push_kind(push.kind)
        headers = {"Urgency": kind.urgency}
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
                ttl=kind.ttl,
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
