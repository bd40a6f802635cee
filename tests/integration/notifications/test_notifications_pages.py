"""Alerts: the settings page, push subscriptions of this browser, the bell and the in-app list."""

from __future__ import annotations

import re
from base64 import urlsafe_b64encode
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth.tables import Session
from server.notifications.services import Alert, notify, preferences_of
from server.notifications.tables import Notification, NotificationPreference, PushSubscription
from tests.builders.people import signed_in
from tests.conftest import TEST_ORIGIN
from tests.helpers import HX, csrf_token, indonesian, post_form, post_json

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
BAD_TIME = indonesian("Write a time from 00:00 to 23:59, like 21:00.", html=False)
BAD_CAP = indonesian("Choose a whole number from 1 to 60.", html=False)
UNKNOWN_KIND = indonesian("Choose from the list of alerts.", html=False)
BAD_SUBSCRIPTION = (
    "Browser mengirim langganan notifikasi yang tidak bisa kami baca. Silakan coba lagi."
)
SETTINGS = "/account/notifications"
FCM = "https://fcm.googleapis.com/fcm/send/"  # Chrome's push service
SERVICE_WORKER = {"Origin": TEST_ORIGIN, "Sec-Fetch-Site": "same-origin"}


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_subscription(endpoint: str = f"{FCM}abc123") -> dict[str, Any]:
    """What PushSubscription.toJSON() gives: the endpoint and the browser's keys."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(raw), "auth": b64url(b"0123456789abcdef")},
    }


async def sign_up(
    client: AsyncTestClient[Any], role: str = "tailor", phone: str = "0812-3456-7890"
) -> int:
    account = await signed_in(client, role, f"Uji {role}", phone, user_agent=ANDROID_CHROME)
    return int(account["id"])


@pytest.fixture
async def other_client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


async def subscriptions_of(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await PushSubscription.select().where(
        PushSubscription.account == account_id
    )
    return rows


async def alert(account_id: int, title: str, *, minutes_ago: int = 0, url: str = "/home") -> int:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    notification_id = await notify(
        account_id, "account", lambda: Alert(title=title, body=f"Isi {title}", url=url), at=at
    )
    assert notification_id is not None
    return notification_id


async def public_id_of(notification_id: int) -> str:
    row = await Notification.select(Notification.public_id).where(
        Notification.id == notification_id
    )
    return str(row[0]["public_id"])


def checkbox_values(html: str) -> list[str]:
    return re.findall(r'name="kinds" value="([a-z_]+)"', html)


# The settings page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kinds", "has_cap"),
    [
        ("tailor", ["new_order", "offer", "order_update", "message", "account"], True),
        ("designer", ["offer", "order_update", "message", "account"], False),
        ("admin", ["account"], False),
    ],
)
async def test_settings_page_shows_the_kinds_and_limits_of_each_role(
    client: AsyncTestClient[Any], app: Litestar, role: str, kinds: list[str], has_cap: bool
) -> None:
    await sign_up(client, role)
    response = await client.get(SETTINGS)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert "<h1>Pengaturan notifikasi</h1>" in html
    assert checkbox_values(html) == kinds
    assert html.count(" checked>") == len(kinds)  # everything on until chosen otherwise
    assert ('name="new_orders_per_hour" value="10"' in html) is has_cap
    assert 'name="quiet_start" value="21:00"' in html and 'name="quiet_end" value="06:00"' in html
    assert "Waktu dalam WIB." in html
    assert f'data-application-server-key="{app.state.vapid.public_key}"' in html
    assert "Nyalakan notifikasi" in html and "Penghemat baterai bisa menunda" in html
    assert "Belum ada perangkat yang menerima notifikasi." in html
    assert 'data-this-device="off"' in html


async def test_saving_preferences_writes_them_and_shows_them(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    form = {
        "kinds": ["offer", "message", "account"],
        "quiet_start": "22:00",
        "quiet_end": "05:30",
        "new_orders_per_hour": "5",
    }
    response = await post_form(client, SETTINGS, form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{SETTINGS}?saved=1"

    saved = await preferences_of(account_id)
    assert saved.disabled_kinds == {"new_order", "order_update"}
    assert (saved.quiet_start.isoformat(), saved.quiet_end.isoformat()) == ("22:00:00", "05:30:00")
    assert saved.new_orders_per_hour == 5
    page = (await client.get(f"{SETTINGS}?saved=1")).text
    assert "Pengaturan notifikasi tersimpan." in page
    assert 'value="new_order">' in page and 'value="offer" checked>' in page
    assert 'name="quiet_start" value="22:00"' in page
    assert 'name="new_orders_per_hour" value="5"' in page


async def test_saving_preferences_by_htmx_returns_the_form_alone(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client, "designer")
    form = {"kinds": ["message"], "quiet_start": "23:00", "quiet_end": "23:00"}
    response = await post_form(client, SETTINGS, form, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<form id="alert-preferences"')
    assert "Pengaturan notifikasi tersimpan." in response.text
    saved = await preferences_of(account_id)
    assert saved.disabled_kinds == {"offer", "order_update", "account"}
    assert saved.new_orders_per_hour == 10  # not a tailor's setting: left as it was


@pytest.mark.parametrize(
    ("role", "change", "message"),
    [
        ("tailor", {"quiet_start": "25:00"}, BAD_TIME),
        ("tailor", {"quiet_end": "7 pagi"}, BAD_TIME),
        ("tailor", {"new_orders_per_hour": "0"}, BAD_CAP),
        ("tailor", {"new_orders_per_hour": "61"}, BAD_CAP),
        ("tailor", {"new_orders_per_hour": "sepuluh"}, BAD_CAP),
        ("tailor", {"new_orders_per_hour": "²"}, BAD_CAP),
        ("tailor", {"kinds": ["offer", "promo"]}, UNKNOWN_KIND),
        ("designer", {"kinds": ["new_order"]}, UNKNOWN_KIND),
    ],
)
async def test_bad_preferences_are_refused_and_nothing_is_written(
    client: AsyncTestClient[Any], role: str, change: dict[str, Any], message: str
) -> None:
    await sign_up(client, role)
    form = {
        "kinds": ["offer"],
        "quiet_start": "21:00",
        "quiet_end": "06:00",
        "new_orders_per_hour": "10",
        **change,
    }
    page = await post_form(client, SETTINGS, form)
    assert page.status_code == 400
    assert "<html" in page.text and message in page.text
    fragment = await post_form(client, SETTINGS, form, headers=HX)
    assert fragment.status_code == 400
    assert "<html" not in fragment.text and message in fragment.text
    assert 'role="alert"' in fragment.text
    assert await NotificationPreference.count() == 0


async def test_bad_preferences_are_explained_in_english_too(client: AsyncTestClient[Any]) -> None:
    await sign_up(client)
    form = {"quiet_start": "25:00", "quiet_end": "06:00", "new_orders_per_hour": "10"}
    response = await post_form(client, SETTINGS, form, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Write a time from 00:00 to 23:59, like 21:00." in response.text


# This browser's push subscription -----------------------------------------------------------


async def test_subscribing_stores_the_subscription_with_this_session(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    subscription = browser_subscription()
    response = await post_json(client, "/push/subscriptions", subscription)
    assert response.status_code == 201, response.text

    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == subscription["endpoint"]
    assert row["p256dh"] == subscription["keys"]["p256dh"]
    assert row["auth"] == subscription["keys"]["auth"]
    assert row["device"] == "Chrome · Android"
    [session] = await Session.select(Session.id).where(Session.account == account_id)
    assert row["session"] == session["id"]

    page = (await client.get(SETTINGS)).text
    assert 'data-this-device="on"' in page
    assert 'Chrome · Android</strong> · <span class="badge">perangkat ini</span>' in page
    assert "belum ada notifikasi terkirim" in page
    assert "data-push-this-device" in page


async def test_subscribing_again_from_the_same_browser_keeps_one_row(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    subscription = browser_subscription()
    for _ in range(2):
        response = await post_json(client, "/push/subscriptions", subscription)
        assert response.status_code == 201
    assert len(await subscriptions_of(account_id)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"{}",
        b'{"endpoint": "ftp://push.example.net/x", "keys": {"p256dh": "x", "auth": "y"}}',
    ],
)
async def test_a_subscription_that_cannot_be_read_is_refused(
    client: AsyncTestClient[Any], body: bytes
) -> None:
    account_id = await sign_up(client)
    headers = {
        "x-csrftoken": await csrf_token(client),
        "content-type": "application/json",
        "accept": "application/json",
    }
    response = await client.post("/push/subscriptions", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"error": BAD_SUBSCRIPTION}
    assert await subscriptions_of(account_id) == []


async def test_subscribing_needs_the_csrf_token(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    response = await client.post(
        "/push/subscriptions", json=browser_subscription(), headers={"accept": "application/json"}
    )
    assert response.status_code == 403
    assert await subscriptions_of(account_id) == []


async def test_removing_a_device_stops_its_alerts(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    [row] = await subscriptions_of(account_id)
    url = f"/push/subscriptions/{row['public_id']}/delete"

    response = await post_form(client, url, {}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="push-devices"')
    assert 'data-this-device="off"' in response.text
    assert await subscriptions_of(account_id) == []
    again = await post_form(client, url, {}, headers=HX)
    assert again.status_code == 404


async def test_removing_a_device_without_javascript_goes_back_to_the_settings(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    [row] = await subscriptions_of(account_id)
    response = await post_form(
        client, f"/push/subscriptions/{row['public_id']}/delete", {}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == SETTINGS
    assert await subscriptions_of(account_id) == []


async def test_another_accounts_device_cannot_be_removed(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    owner = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    [row] = await subscriptions_of(owner)
    await sign_up(other_client, "designer", phone="0813-1111-2222")

    response = await post_form(other_client, f"/push/subscriptions/{row['public_id']}/delete", {})
    assert response.status_code == 404
    assert len(await subscriptions_of(owner)) == 1


async def test_signing_out_removes_this_devices_subscription(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    other_id = await sign_up(other_client, phone="0813-1111-2222")
    await post_json(other_client, "/push/subscriptions", browser_subscription(f"{FCM}b"))

    response = await post_form(client, "/auth/logout", {}, follow_redirects=False)
    assert response.status_code == 303
    assert await subscriptions_of(account_id) == []
    assert len(await subscriptions_of(other_id)) == 1


# The service worker's renewal ---------------------------------------------------------------


async def test_subscription_change_replaces_the_old_endpoint_without_a_csrf_token(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    old = browser_subscription(f"{FCM}old")
    await post_json(client, "/push/subscriptions", old)
    [before] = await subscriptions_of(account_id)
    renewed = browser_subscription(f"{FCM}new")

    # The service worker's fetch: the session cookie and its own origin, no CSRF token.
    response = await client.post(
        "/push/subscription-change",
        json={"old_endpoint": old["endpoint"], "subscription": renewed},
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 200, response.text
    [after] = await subscriptions_of(account_id)
    assert after["endpoint"] == renewed["endpoint"]
    assert after["p256dh"] == renewed["keys"]["p256dh"]
    assert (after["id"], after["session"], after["device"]) == (
        before["id"],
        before["session"],
        before["device"],
    )


async def test_subscription_change_with_an_unknown_old_endpoint_is_404(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    response = await client.post(
        "/push/subscription-change",
        json={
            "old_endpoint": f"{FCM}guessed",
            "subscription": browser_subscription(f"{FCM}mine"),
        },
        headers=SERVICE_WORKER,
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Langganan notifikasi itu tidak dikenal di sini."}
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == f"{FCM}abc123"


@pytest.mark.parametrize(
    "body",
    [
        {"old_endpoint": f"{FCM}abc123"},
        {"old_endpoint": 5, "subscription": {}},
        {"old_endpoint": f"{FCM}abc123", "subscription": {"keys": {}}},
    ],
)
async def test_subscription_change_that_cannot_be_read_is_400(
    client: AsyncTestClient[Any], body: dict[str, Any]
) -> None:
    account_id = await sign_up(client)
    await post_json(client, "/push/subscriptions", browser_subscription())
    response = await client.post("/push/subscription-change", json=body, headers=SERVICE_WORKER)
    assert response.status_code == 400
    assert response.json() == {"error": BAD_SUBSCRIPTION}
    [row] = await subscriptions_of(account_id)
    assert row["endpoint"] == f"{FCM}abc123"


# The bell and the in-app list ---------------------------------------------------------------


async def test_the_bell_counts_unread_notifications(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    home = (await client.get("/home")).text
    assert '<span class="visually-hidden">Notifikasi</span>' in home
    assert "bell-count" not in home

    await alert(account_id, "Sertifikat Anda terverifikasi")
    await alert(account_id, "Ada order baru")
    home = (await client.get("/home")).text
    assert "Notifikasi, 2 belum dibaca" in home
    assert '<span class="bell-count" aria-hidden="true">2</span>' in home
    english = (await client.get("/home", headers={"Accept-Language": "en"})).text
    assert "Notifications, 2 unread" in english


async def test_the_bell_is_not_looked_up_for_fragments_or_json(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    await alert(account_id, "Ada order baru")
    fragment = await client.get("/notifications", headers=HX)
    assert 'id="bell"' not in fragment.text
    boosted = await client.get("/notifications", headers={**HX, "HX-Boosted": "true"})
    assert "Notifikasi, 1 belum dibaca" in boosted.text


async def test_the_list_shows_newest_first_with_unread_marked(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    older = await alert(account_id, "Pesan lama", minutes_ago=12)
    await alert(account_id, "Pesan baru", minutes_ago=1)
    await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
        Notification.id == older
    )

    response = await client.get("/notifications")
    assert response.status_code == 200
    html = response.text
    assert "<html" in html and "HX-Request" in response.headers["vary"]
    items = re.findall(r'<li class="row[^"]*">.*?</li>', html, flags=re.DOTALL)
    assert [("Pesan baru" in item, "Pesan lama" in item) for item in items] == [
        (True, False),
        (False, True),
    ]
    newest, oldest = items
    assert 'class="row unread"' in newest and "belum dibaca" in newest
    assert "Kabar akun dan sertifikat" in newest and "1 menit yang lalu" in newest
    assert 'class="row"' in oldest and "belum dibaca" not in oldest
    assert "12 menit yang lalu" in oldest and "Isi Pesan lama" in oldest
    assert "Tandai semua sudah dibaca" in html


async def test_the_list_as_an_htmx_fragment(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client)
    await alert(account_id, "Pesan baru")
    response = await client.get("/notifications", headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="notification-list">')
    assert "Pesan baru" in response.text


async def test_the_empty_list_says_what_will_appear(client: AsyncTestClient[Any]) -> None:
    await sign_up(client, "designer")
    html = (await client.get("/notifications")).text
    assert "Belum ada notifikasi." in html
    assert "Tandai semua sudah dibaca" not in html


async def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    notification_id = await alert(account_id, "Penawaran diterima", url="/account/passkeys")
    public_id = await public_id_of(notification_id)

    response = await client.get(f"/notifications/{public_id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/passkeys"
    [row] = await Notification.select(Notification.read_at).where(
        Notification.id == notification_id
    )
    assert row["read_at"] is not None
    assert "bell-count" not in (await client.get("/home")).text


async def test_a_notification_leading_off_site_goes_to_the_list(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    public_id = await public_id_of(await alert(account_id, "Aneh", url="https://evil.example/"))
    response = await client.get(f"/notifications/{public_id}", follow_redirects=False)
    assert response.headers["location"] == "/notifications"


async def test_another_persons_notification_is_404(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    owner = await sign_up(client)
    public_id = await public_id_of(await alert(owner, "Rahasia"))
    await sign_up(other_client, "designer", phone="0813-1111-2222")

    response = await other_client.get(f"/notifications/{public_id}", follow_redirects=False)
    assert response.status_code == 404
    assert "Rahasia" not in (await other_client.get("/notifications")).text
    [row] = await Notification.select(Notification.read_at).where(Notification.account == owner)
    assert row["read_at"] is None


async def test_mark_all_read_by_htmx_updates_the_list_and_the_bell(
    client: AsyncTestClient[Any], other_client: AsyncTestClient[Any]
) -> None:
    account_id = await sign_up(client)
    other_id = await sign_up(other_client, "designer", phone="0813-1111-2222")
    for title in ("Satu", "Dua"):
        await alert(account_id, title)
    await alert(other_id, "Punya orang lain")

    response = await post_form(client, "/notifications/mark-all-read", {}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="notification-list">')
    assert "belum dibaca" not in response.text.split('id="bell"')[0]
    assert '<a id="bell" class="bell" href="/notifications" hx-swap-oob="true">' in response.text
    unread = await Notification.select(Notification.account).where(Notification.read_at.is_null())
    assert unread == [{"account": other_id}]


async def test_mark_all_read_without_javascript_goes_back_to_the_list(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client)
    await alert(account_id, "Satu")
    response = await post_form(client, "/notifications/mark-all-read", {}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/notifications"
    assert await Notification.count().where(Notification.read_at.is_null()) == 0
