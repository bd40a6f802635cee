"""Push endpoints as an attacker would send them: only the browsers' push services are accepted,
nothing is ever sent to this server's own network, a subscription never changes account, and
no malformed subscription answers 500."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.notifications.endpoints import RefusedAddress
from server.notifications.sender import Sender, new_http_session
from server.notifications.subscriptions import MAX_DEVICES
from server.notifications.tables import Delivery, PushSubscription
from server.notifications.vapid import VapidKeys
from server.notifications.worker import run_once
from server.settings import HOUR, Limit, RateLimits, Settings
from tests.builders.push import (
    notify_one,
    person,
    sender_for,
    stored_subscription,
    subscribe,
)
from tests.conftest import TEST_ORIGIN
from tests.helpers import csrf_token, post_json
from tests.integration.notifications.test_notifications_pages import (
    BAD_SUBSCRIPTION,
    FCM,
    SERVICE_WORKER,
    browser_subscription,
    sign_up,
    subscriptions_of,
)
from tests.push_receiver import PushReceiver, Reply

BAD_ENDPOINT = (
    "Notifikasi hanya bisa dikirim lewat layanan push browser Anda sendiri (Chrome, Firefox, "
    "Safari, atau Edge). Silakan nyalakan notifikasi lagi dari browser ini."
)
TAKEN = (
    "Browser ini sudah menerima notifikasi untuk akun lain. Silakan nyalakan notifikasi lagi, "
    "atau keluar dulu dari akun lain itu di browser ini."
)
CROSS_SITE = (
    "Permintaan ini tidak datang dari halaman Clothing Line. Silakan buka aplikasinya lalu "
    "coba lagi."
)
# What an attacker registers to reach this server's own network, or to be redirected there.
SSRF_ENDPOINTS = [
    "http://127.0.0.1:8000/push/x",
    "https://127.0.0.1/push/x",
    "https://localhost/push/x",
    "https://10.0.0.5/push/x",
    "https://192.168.1.1/push/x",
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/push/x",
    "https://[fd00::1]/push/x",
    "https://[::ffff:127.0.0.1]/push/x",
    "https://attacker.example/redirect?to=http://169.254.169.254/",
    "https://fcm.googleapis.com.attacker.example/fcm/send/x",
    "https://fcm.googleapis.com@10.0.0.5/fcm/send/x",
    "https://fcm.googleapis.com:8443/fcm/send/x",
    "https://fcm.googleapis.com\\@10.0.0.5/fcm/send/x",
    "http://fcm.googleapis.com/fcm/send/x",
    "https://evilpush.apple.com.example/x",
]
PUSH_SERVICES = [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "https://web.push.apple.com/QGx2c1gt",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests send more subscriptions than one person would: the rate limits stay out of the
    way (test_rate_limit_accounts.py tests them)."""
    return dataclasses.replace(
        settings, rate_limits=RateLimits.uniform(Limit(10_000, HOUR, 10_000))
    )


@pytest.fixture
async def other_client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture
def local_app(settings: Settings) -> Litestar:
    """A development run: PUSH_ALLOW_LOCAL_ENDPOINTS on (PUBLIC_ORIGIN is localhost)."""
    return create_app(dataclasses.replace(settings, push_allow_local_endpoints=True))


# At subscribe time ------------------------------------------------------------------------


async def test_an_endpoint_outside_the_push_services_is_refused(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    for endpoint in SSRF_ENDPOINTS:
        response = await post_json(client, "/push/subscriptions", browser_subscription(endpoint))
        assert response.status_code == 400, (endpoint, response.text)
        assert response.json() == {"error": BAD_ENDPOINT}, endpoint
    assert await subscriptions_of(account_id) == []


async def test_the_refusal_is_explained_in_english_too(client: AsyncTestClient[Any]) -> None:
    await sign_up(client)
    response = await post_json(
        client,
        "/push/subscriptions",
        browser_subscription("https://10.0.0.5/push/x"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "your browser's own push service" in response.json()["error"]


async def test_the_browsers_push_services_are_accepted(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    for endpoint in PUSH_SERVICES:
        response = await post_json(client, "/push/subscriptions", browser_subscription(endpoint))
        assert response.status_code == 201, (endpoint, response.text)
        [row] = await subscriptions_of(account_id)  # this browser's latest
        assert row["endpoint"] == endpoint


async def test_local_endpoints_mean_loopback_only(local_app: Litestar) -> None:
    async with AsyncTestClient(app=local_app) as client:
        account_id = await sign_up(client)
        for endpoint in (
            "https://10.0.0.5/push/x",
            "http://169.254.169.254/latest/meta-data/",
            "https://[fd00::1]/push/x",
            "http://192.168.1.1:8080/x",
        ):
            refused = await post_json(client, "/push/subscriptions", browser_subscription(endpoint))
            assert refused.status_code == 400, endpoint
        local = browser_subscription("http://127.0.0.1:8119/push/receiver")
        assert (await post_json(client, "/push/subscriptions", local)).status_code == 201
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == "http://127.0.0.1:8119/push/receiver"


# At send time: rows written as if the subscribe check had been bypassed ---------------------


async def attacker_row(account_id: int, endpoint: str) -> None:
    await stored_subscription(account_id, endpoint, browser_subscription()["keys"])


@pytest.mark.parametrize(
    "path",
    [
        "http://127.0.0.1:{port}/push/a",
        "http://localhost:{port}/push/b",
        "https://127.0.0.1:{port}/push/c",
        "http://[::ffff:127.0.0.1]:{port}/push/d",
        "http://[::1]:{port}/push/e",
        "https://10.0.0.5/push/f",
        "http://169.254.169.254/latest/meta-data/",
        "https://[fd00::1]/push/g",
    ],
)
async def test_the_production_sender_sends_nothing_to_a_local_address(
    clean_database: str,
    receiver: PushReceiver,
    vapid_keys: VapidKeys,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    account_id = await person()
    await attacker_row(account_id, path.format(port=receiver.server.server_address[1]))
    await notify_one(account_id)

    with caplog.at_level(logging.WARNING, logger="server.notifications.sender"):
        async with sender_for(vapid_keys, allow_local=False) as sender:
            assert await run_once(sender) == 1

    assert receiver.received == []
    # Refused for good: the subscription is dropped (with its delivery), not retried forever.
    assert await PushSubscription.count() == 0
    assert await Delivery.count() == 0
    assert "its endpoint is refused" in caplog.text


async def test_a_redirect_is_not_followed(
    clean_database: str, receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    browser = await subscribe(account_id, receiver)
    elsewhere = receiver.browser().endpoint
    receiver.answer(Reply(307, {"Location": elsewhere}), endpoint=browser.endpoint)
    await notify_one(account_id)

    assert await run_once(sender) == 1

    assert [push.endpoint for push in receiver.received] == [browser.endpoint]
    assert receiver.to(elsewhere) == []
    assert await PushSubscription.count() == 0


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]"])
async def test_the_connection_itself_refuses_local_addresses(
    receiver: PushReceiver, host: str
) -> None:
    """Below the endpoint check: a name is resolved once, and only to public addresses, which
    are the ones connected to; a literal address is checked as the socket is made."""
    port = receiver.server.server_address[1]
    async with new_http_session() as session:
        with pytest.raises(aiohttp.ClientConnectorError) as raised:
            await session.post(f"http://{host}:{port}/push/x", data=b"{}")
    assert isinstance(raised.value.os_error, RefusedAddress)
    assert receiver.received == []
    async with new_http_session(allow_local=True) as session:
        response = await session.post(f"http://127.0.0.1:{port}/push/x", data=b"{}")
        assert response.status == 201
    assert len(receiver.received) == 1


# A subscription never changes account ------------------------------------------------------


async def test_another_accounts_endpoint_is_not_taken_over(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    owner = await sign_up(client)
    theirs = browser_subscription(f"{FCM}victim")
    await post_json(client, "/push/subscriptions", theirs)
    attacker = await sign_up(other_client, "designer", phone="0813-1111-2222")

    response = await post_json(
        other_client, "/push/subscriptions", browser_subscription(f"{FCM}victim")
    )
    assert response.status_code == 409
    assert response.json() == {"error": TAKEN}
    [row] = await subscriptions_of(owner)
    assert (row["p256dh"], row["auth"]) == (theirs["keys"]["p256dh"], theirs["keys"]["auth"])
    assert await subscriptions_of(attacker) == []


async def test_renewal_needs_the_session(client: AsyncTestClient[Any], app: Litestar) -> None:
    account_id = await sign_up(client)
    old = browser_subscription(f"{FCM}old")
    await post_json(client, "/push/subscriptions", old)

    async with AsyncTestClient(app=app) as stranger:  # no session cookie
        response = await stranger.post(
            "/push/subscription-change",
            json={"old_endpoint": old["endpoint"], "subscription": browser_subscription()},
            headers={**SERVICE_WORKER, "Accept": "application/json"},
        )
    assert response.status_code == 401
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == old["endpoint"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://attacker.example"},
        {"Origin": TEST_ORIGIN, "Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
        {},
    ],
)
async def test_a_cross_site_renewal_is_refused(
    client: AsyncTestClient[Any], headers: dict[str, str]
) -> None:
    """The attack: a page elsewhere posts text/plain (no CORS preflight) with the victim's
    cookies, swapping the endpoint and keys for its own."""
    account_id = await sign_up(client)
    old = browser_subscription(f"{FCM}old")
    await post_json(client, "/push/subscriptions", old)
    body = f'{{"old_endpoint": "{old["endpoint"]}", "subscription": {{"endpoint": "{FCM}evil",'
    body += ' "keys": {"p256dh": "' + "B" * 87 + '", "auth": "' + "A" * 22 + '"}}}'

    response = await client.post(
        "/push/subscription-change",
        content=body.encode(),
        headers={"Content-Type": "text/plain", **headers},
    )
    assert response.status_code == 403
    assert response.json() == {"error": CROSS_SITE}
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == old["endpoint"]


async def test_renewal_of_another_accounts_endpoint_is_404(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    owner = await sign_up(client)
    theirs = browser_subscription(f"{FCM}victim")
    await post_json(client, "/push/subscriptions", theirs)
    await sign_up(other_client, "designer", phone="0813-1111-2222")

    response = await other_client.post(
        "/push/subscription-change",
        json={"old_endpoint": theirs["endpoint"], "subscription": browser_subscription()},
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 404
    [row] = await subscriptions_of(owner)
    assert row["endpoint"] == theirs["endpoint"]


@pytest.mark.parametrize("endpoint", ["https://10.0.0.5/push/x", "http://127.0.0.1:9/x"])
async def test_renewal_validates_the_new_endpoint(
    client: AsyncTestClient[Any], endpoint: str
) -> None:
    account_id = await sign_up(client)
    old = browser_subscription(f"{FCM}old")
    await post_json(client, "/push/subscriptions", old)
    response = await client.post(
        "/push/subscription-change",
        json={"old_endpoint": old["endpoint"], "subscription": browser_subscription(endpoint)},
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 400
    assert response.json() == {"error": BAD_ENDPOINT}
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == old["endpoint"]


async def test_renewal_into_another_accounts_endpoint_is_409(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    mine = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription(f"{FCM}mine"))
    theirs = await sign_up(other_client, "designer", phone="0813-1111-2222")
    await post_json(other_client, "/push/subscriptions", browser_subscription(f"{FCM}theirs"))

    response = await client.post(
        "/push/subscription-change",
        json={"old_endpoint": f"{FCM}mine", "subscription": browser_subscription(f"{FCM}theirs")},
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 409
    assert response.json() == {"error": TAKEN}
    assert [row["endpoint"] for row in await subscriptions_of(mine)] == [f"{FCM}mine"]
    assert [row["endpoint"] for row in await subscriptions_of(theirs)] == [f"{FCM}theirs"]


async def test_renewal_into_an_endpoint_of_the_same_account_keeps_one_row(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription(f"{FCM}old"))
    [old] = await subscriptions_of(account_id)
    # The same person's other phone already holds the endpoint the renewal names.
    await attacker_row(account_id, f"{FCM}new")
    renewed = browser_subscription(f"{FCM}new")

    response = await client.post(
        "/push/subscription-change",
        json={"old_endpoint": f"{FCM}old", "subscription": renewed},
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 200, response.text
    [row] = await subscriptions_of(account_id)
    assert (row["id"], row["endpoint"], row["p256dh"]) == (
        old["id"],
        f"{FCM}new",
        renewed["keys"]["p256dh"],
    )


# A small cap ------------------------------------------------------------------------------


async def test_one_subscription_per_signed_in_browser(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    for name in ("first", "second", "third"):
        await post_json(client, "/push/subscriptions", browser_subscription(f"{FCM}{name}"))
    assert [row["endpoint"] for row in await subscriptions_of(account_id)] == [f"{FCM}third"]


async def test_a_new_phone_beyond_the_cap_replaces_the_oldest(
    clean_database: str, receiver: PushReceiver
) -> None:
    account_id = await person()
    phones = [await subscribe(account_id, receiver) for _ in range(MAX_DEVICES + 2)]
    rows = await PushSubscription.select(PushSubscription.endpoint).order_by(PushSubscription.id)
    assert [row["endpoint"] for row in rows] == [phone.endpoint for phone in phones[2:]]
    other = await person("Dewi", "0813-2222-3333")
    await subscribe(other, receiver)  # another account's devices are not counted
    assert await PushSubscription.count().where(PushSubscription.account == account_id) == 5


# Malformed input never answers 500 ----------------------------------------------------------

KEYS = browser_subscription()["keys"]
MALFORMED: list[Any] = [
    {"endpoint": f"{FCM}x", "keys": "p256dh"},
    {"endpoint": f"{FCM}x", "keys": ["p256dh", "auth"]},
    {"endpoint": f"{FCM}x", "keys": None},
    {"endpoint": f"{FCM}x"},
    {"endpoint": f"{FCM}x", "keys": {"p256dh": 5, "auth": KEYS["auth"]}},
    {"endpoint": f"{FCM}x", "keys": {"p256dh": KEYS["p256dh"], "auth": ["a"]}},
    {"endpoint": f"{FCM}x", "keys": {"p256dh": "é" * 87, "auth": KEYS["auth"]}},
    {"endpoint": f"{FCM}x", "keys": {"p256dh": "B" * 10_000, "auth": KEYS["auth"]}},
    {"endpoint": 5, "keys": KEYS},
    {"endpoint": ["https://fcm.googleapis.com/x"], "keys": KEYS},
    {"endpoint": {"url": f"{FCM}x"}, "keys": KEYS},
    {"endpoint": None, "keys": KEYS},
    {"endpoint": FCM + "x" * 5000, "keys": KEYS},
    {"endpoint": f"{FCM}x\u0000y", "keys": KEYS},
    {"endpoint": f"{FCM}jalan-ké-pasar", "keys": KEYS},
    {"endpoint": "", "keys": KEYS},
    "a string",
    ["a", "list"],
    None,
    12,
]


async def test_a_malformed_subscription_is_400(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    for body in MALFORMED:
        response = await post_json(client, "/push/subscriptions", body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"] in (BAD_SUBSCRIPTION, BAD_ENDPOINT), body
    assert await subscriptions_of(account_id) == []


async def test_a_malformed_renewal_is_400(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription(f"{FCM}old"))
    for body in MALFORMED:
        response = await client.post(
            "/push/subscription-change",
            json={"old_endpoint": f"{FCM}old", "subscription": body},
            headers=SERVICE_WORKER,
        )
        assert response.status_code == 400, (body, response.text)
    for body in MALFORMED:  # in the old endpoint's place too
        response = await client.post(
            "/push/subscription-change",
            json={"old_endpoint": body, "subscription": browser_subscription()},
            headers=SERVICE_WORKER,
        )
        assert response.status_code in (400, 404), (body, response.text)
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == f"{FCM}old"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[" * 100_000 + b"]" * 100_000, 413),  # beyond the size a subscription needs
        (b"[" * 5_000 + b"]" * 5_000, 400),  # nested deeper than the JSON parser goes
        (b"\xff\xfe{", 400),
        (b'{"endpoint": "' + b"x" * 20_000 + b'"}', 413),
    ],
)
async def test_bodies_no_subscription_looks_like_are_refused(
    client: AsyncTestClient[Any], body: bytes, status: int
) -> None:
    await sign_up(client)
    for url, headers in (
        ("/push/subscriptions", {"x-csrftoken": await csrf_token(client)}),
        ("/push/subscription-change", SERVICE_WORKER),
    ):
        response = await client.post(
            url,
            content=body,
            headers={**headers, "Content-Type": "application/json", "Accept": "application/json"},
        )
        assert response.status_code == status, (url, response.text[:200])
