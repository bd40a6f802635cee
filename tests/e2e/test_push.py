"""Alerts in Chromium: a tailor turns them on, a push shows in the service worker, a tap on it
opens the page, and the bell and the list show the same notification."""

from __future__ import annotations

import json
import re
import secrets
import time
from base64 import urlsafe_b64encode
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import BrowserContext, CDPSession, Page, Worker, expect

from server.accounts.tables import Account
from server.media.tables import Photo
from server.notifications.services import Alert, notify
from server.notifications.tables import Notification, PushSubscription
from server.tailors.services import save_bio
from tests.builders.people import tailor
from tests.builders.push import person, stored_subscription
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    register,
    unexpected,
    without_autofill,
)
from tests.helpers import indonesian

pytestmark = pytest.mark.e2e

TURN_ON = indonesian("Turn on notifications", html=False)
TURN_OFF = indonesian("Turn off alerts on this device", html=False)
IS_ON = indonesian("Alerts are on for this device.", html=False)

# pushManager.subscribe() cannot reach a real push service here (TESTING.md): the page gets a
# subscription that looks like the browser's, remembered in localStorage like the real one.
# As a real browser's, a subscription made after an unsubscribe has a new endpoint.
FAKE_PUSH_MANAGER = """
(() => {
  const GIVEN = %s;
  const generation = () => Number(localStorage.getItem("fake-push-generation") || 0);
  const current = () => ({
    ...GIVEN, endpoint: GIVEN.endpoint + (generation() ? "r" + generation() : ""),
  });
  const bytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64 + "===".slice((base64.length + 3) %% 4)),
      (c) => c.charCodeAt(0)).buffer;
  };
  const fake = (SUBSCRIPTION = current()) => ({
    endpoint: SUBSCRIPTION.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: null },
    getKey: (name) => name in SUBSCRIPTION.keys ? bytes(SUBSCRIPTION.keys[name]) : null,
    toJSON: () => JSON.parse(JSON.stringify(SUBSCRIPTION)),
    unsubscribe: () => {
      localStorage.removeItem("fake-push-subscription");
      localStorage.setItem("fake-push-generation", String(generation() + 1));
      return Promise.resolve(true);
    },
  });
  if (!window.PushManager) return;
  PushManager.prototype.subscribe = function (options) {
    if (!options || !options.userVisibleOnly || !options.applicationServerKey) {
      return Promise.reject(new DOMException("bad options", "NotAllowedError"));
    }
    localStorage.setItem("fake-push-subscription", "1");
    return Promise.resolve(fake());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("fake-push-subscription") ? fake() : null);
  };
})();
"""
SHOWN_NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data,
                            badge: n.badge, icon: n.icon}));
}"""
# A synthetic click: the handler's close() and navigation run; its waitUntil() refuses an
# untrusted event, which is why the error is caught here.
CLICK_FIRST_NOTIFICATION = """async () => {
  const [notification] = await self.registration.getNotifications();
  try {
    self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
  } catch (error) {}
  return notification.data.url;
}"""

# Chromium never fires pushsubscriptionchange itself: hand the handler a synthetic one.
SUBSCRIPTION_CHANGE = """async ([oldEndpoint, renewed]) => {
  const event = new ExtendableEvent("pushsubscriptionchange");
  Object.defineProperty(event, "oldSubscription", {
    value: { endpoint: oldEndpoint, options: { applicationServerKey: null } },
  });
  Object.defineProperty(event, "newSubscription", { value: { toJSON: () => renewed } });
  try {
    self.dispatchEvent(event);
  } catch (error) {}
}"""


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_subscription() -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "endpoint": f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(16)}",
        "expirationTime": None,
        "keys": {"p256dh": b64url(raw), "auth": b64url(bytes(range(16)))},
    }


def tailor_with_alerts_page(
    page: Page, context: BrowserContext, server: LiveServer, subscription: dict[str, Any]
) -> int:
    context.grant_permissions(["notifications"], origin=server.url)
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps(subscription))
    add_authenticator(context, without_autofill(page))
    register(page, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(page, "Siti Rahayu")
    page.get_by_role("link", name="Pengaturan notifikasi").click()
    expect(page).to_have_url(re.compile(r"/account/notifications$"))
    [row] = server.call(Account.select(Account.id).where(Account.name == "Siti Rahayu").run())
    return int(row["id"])


def subscriptions(server: LiveServer) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = server.call(PushSubscription.select().run())
    return rows


def service_worker_registration(session: CDPSession, page: Page, scope: str) -> str:
    found: list[str] = []

    def record(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                found.append(registration["registrationId"])

    session.on("ServiceWorker.workerRegistrationUpdated", record)
    session.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert found, "no service worker registration for " + scope
    return found[-1]


def wait_for_notifications(page: Page, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        shown: list[dict[str, Any]] = page.evaluate(SHOWN_NOTIFICATIONS)
        if len(shown) == count:
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} notifications, saw {shown}")


def service_worker(context: BrowserContext) -> Worker:
    return (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )


def test_tailor_turns_on_alerts_and_a_push_opens_its_page(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    subscription = browser_subscription()
    account_id = tailor_with_alerts_page(page, context, server, subscription)
    expect(page.get_by_text("Belum ada perangkat yang menerima notifikasi.")).to_be_visible()

    page.get_by_role("button", name=TURN_ON).click()
    expect(page.get_by_text(IS_ON)).to_be_visible()
    expect(page.get_by_role("button", name=TURN_OFF)).to_be_visible()
    devices = page.locator("#push-devices")
    expect(devices.get_by_text("perangkat ini", exact=True)).to_be_visible()
    expect(
        devices.get_by_role("button", name=re.compile(r"^Hentikan notifikasi di Chrome"))
    ).to_be_visible()
    [row] = subscriptions(server)
    assert row["account"] == account_id
    assert row["endpoint"] == subscription["endpoint"]
    assert (row["p256dh"], row["auth"]) == (
        subscription["keys"]["p256dh"],
        subscription["keys"]["auth"],
    )
    assert row["device"].startswith("Chrome")

    # The server records the notification; the push carries the same texts.
    notification_id = server.call(
        notify(
            account_id,
            "account",
            lambda: Alert(
                title="Sertifikat SKKNI Anda terverifikasi",
                body='Nyalakan "Siap terima order" untuk menerima order di sekitar Anda.',
                url="/account/passkeys",
                tag="certificate",
            ),
        )
    )
    [stored] = server.call(Notification.select().where(Notification.id == notification_id).run())
    payload = {key: stored[key] for key in ("title", "body", "url", "tag")}
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    session = context.new_cdp_session(page)
    registration_id = service_worker_registration(session, page, server.url + "/")
    session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    [shown] = wait_for_notifications(page, 1)
    assert shown["title"] == "Sertifikat SKKNI Anda terverifikasi"
    assert shown["body"] == stored["body"]
    assert shown["tag"] == "certificate"
    assert shown["data"] == {"url": "/account/passkeys"}
    assert re.search(r"/static/\w+/icons/badge-72\.png$", shown["badge"])
    assert re.search(r"/static/\w+/icons/icon-192\.png$", shown["icon"])

    # The same thing again replaces the alert instead of adding one (same tag).
    session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    page.wait_for_timeout(300)
    assert len(wait_for_notifications(page, 1)) == 1

    assert service_worker(context).evaluate(CLICK_FIRST_NOTIFICATION) == "/account/passkeys"
    expect(page).to_have_url(re.compile(r"/account/passkeys$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkey saya")
    assert wait_for_notifications(page, 0) == []

    bell = page.get_by_role("link", name="Notifikasi, 1 belum dibaca")
    expect(bell).to_be_visible()
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    item = page.locator("#notification-list li").first
    expect(item).to_contain_text("Sertifikat SKKNI Anda terverifikasi")
    expect(item).to_contain_text(stored["body"])
    expect(item).to_contain_text("belum dibaca")
    assert unexpected(console_errors) == []


def test_turning_alerts_off_on_this_device_forgets_the_subscription(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    tailor_with_alerts_page(page, context, server, browser_subscription())
    page.get_by_role("button", name=TURN_ON).click()
    expect(page.get_by_text(IS_ON)).to_be_visible()
    assert len(subscriptions(server)) == 1

    page.get_by_role("button", name=TURN_OFF).click()
    expect(page.get_by_role("button", name=TURN_ON)).to_be_visible()
    expect(page.get_by_text("Belum ada perangkat yang menerima notifikasi.")).to_be_visible()
    assert subscriptions(server) == []
    page.wait_for_function("() => !localStorage.getItem('fake-push-subscription')")

    page.reload()
    expect(page.get_by_role("button", name=TURN_ON)).to_be_visible()
    assert unexpected(console_errors) == []


def test_blocked_notifications_explain_how_to_allow_them(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    tailor_with_alerts_page(page, context, server, browser_subscription())
    context.clear_permissions()
    page.add_init_script(
        "Object.defineProperty(Notification, 'permission', { get: () => 'denied' });"
    )
    page.reload()
    expect(
        page.get_by_text("Notifikasi untuk Clothing Line diblokir di browser ini.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=TURN_ON)).to_be_hidden()


def test_service_worker_renews_the_subscription_without_a_csrf_token(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    old = browser_subscription()
    tailor_with_alerts_page(page, context, server, old)
    page.get_by_role("button", name=TURN_ON).click()
    expect(page.get_by_text(IS_ON)).to_be_visible()
    [before] = subscriptions(server)
    page.wait_for_function("() => !!navigator.serviceWorker.controller")

    renewed = browser_subscription()
    service_worker(context).evaluate(SUBSCRIPTION_CHANGE, [old["endpoint"], renewed])
    deadline = time.monotonic() + 10
    while subscriptions(server)[0]["endpoint"] != renewed["endpoint"]:
        assert time.monotonic() < deadline, "the renewed subscription did not reach the server"
        page.wait_for_timeout(100)
    [after] = subscriptions(server)
    assert after["p256dh"] == renewed["keys"]["p256dh"]
    assert (after["id"], after["account"], after["session"]) == (
        before["id"],
        before["account"],
        before["session"],
    )
    assert unexpected(console_errors) == []


async def held_by_someone_else(endpoint: str) -> int:
    """Another account's row for this browser's endpoint: someone who used this phone before
    and whose session is still valid."""
    other = await person("Dewi Lestari", "0813-2222-3333")
    await stored_subscription(other, endpoint, browser_subscription()["keys"])
    return other


def test_a_browser_still_subscribed_for_another_account_subscribes_anew(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    subscription = browser_subscription()
    account_id = tailor_with_alerts_page(page, context, server, subscription)
    other = server.call(held_by_someone_else(subscription["endpoint"]))

    page.get_by_role("button", name=TURN_ON).click()

    expect(page.get_by_text(IS_ON)).to_be_visible()
    rows = {row["account"]: row for row in subscriptions(server)}
    assert rows[other]["endpoint"] == subscription["endpoint"]  # never moved
    assert rows[account_id]["endpoint"] == subscription["endpoint"] + "r1"  # a fresh one
    assert unexpected(console_errors) == []


async def onboarded(name: str) -> None:
    """Every profile step done and the certificate verified: the home shows the alerts card."""
    account = await Account.select(Account.id).where(Account.name == name).first()
    await tailor(account_id=account["id"])
    await save_bio(account["id"], "Penjahit seragam sejak 2010.")
    await Photo.insert(
        Photo(
            owner=account["id"], kind="portfolio", width=1, height=1, small_width=1, small_height=1
        )
    )


@pytest.mark.parametrize("role", ["Penjahit", "Desainer, brand, atau pembeli industri"])
def test_the_home_card_shows_alerts_on_once_turned_on_and_after_a_reload(
    page: Page,
    context: BrowserContext,
    server: LiveServer,
    console_errors: ConsoleErrors,
    role: str,
) -> None:
    context.grant_permissions(["notifications"], origin=server.url)
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser_subscription()))
    add_authenticator(context, without_autofill(page))
    register(page, role=role, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(page, "Siti Rahayu")
    if role == "Penjahit":
        server.call(onboarded("Siti Rahayu"))
        page.reload()
    card = page.locator("#push-state")
    card.get_by_role("button", name=TURN_ON).click()

    expect(card.get_by_text(IS_ON)).to_be_visible()
    expect(card.get_by_role("button", name=TURN_OFF)).to_be_visible()
    expect(card.get_by_text("Notifikasi mati di perangkat ini", exact=False)).to_be_hidden()
    assert len(subscriptions(server)) == 1
    page.reload()
    expect(card.get_by_text(IS_ON)).to_be_visible()
    expect(card.get_by_role("button", name=TURN_ON)).to_be_hidden()
    assert unexpected(console_errors) == []
