"""Work without signal: what a tailor does on an order offline is kept in the phone's outbox,
shown as waiting, and delivered once the signal is back: in order, exactly once, after hours,
after signing in again; what the order no longer allows is shown as not sent, with the reason.
Signing in is a session row and its cookie (the passkey ceremony has its own tests)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Session
from server.orders.assignment.services import accept_offer
from server.orders.payments.services import mark_paid
from server.orders.tables import Message, Offer, Order, OrderEvent, Payment
from tests.builders import orders, people
from tests.clock import move_clock
from tests.e2e.conftest import PHONE, ConsoleErrors, LiveServer, settled
from tests.e2e.passkey_helpers import unexpected
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.helpers import indonesian
from tests.images import photo_like

pytestmark = pytest.mark.e2e

TITLE = "Kemeja batik seragam kantor"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
WAITING = re.compile(r"Menunggu sinyal, disimpan \d")
# Offline, a queued form is no network request: what is logged is the polls that could not go
# (htmx logs their failure as errors too), and the answers the tests drop on purpose.
OFFLINE_NOISE = re.compile(
    r"ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|^htmx:(sendError|afterRequest)"
)


def unexpected_errors(errors: ConsoleErrors) -> list[str]:
    return [error for error in unexpected(errors) if not OFFLINE_NOISE.search(error)]


class Phone:
    """One person's phone: a browser context signed in to their account."""

    def __init__(self, browser: Browser, server: LiveServer, account_id: int, **options: object):
        self.server = server
        self.account_id = account_id
        self.context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            base_url=server.url,
            locale="id-ID",
            **options,  # type: ignore[arg-type]
        )
        self.sign_in()
        self.page = self.context.new_page()

    def sign_in(self) -> None:
        token = self.server.call(people.session_for(self.account_id))
        self.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": self.server.url}])

    def watched(self, errors: ConsoleErrors) -> Phone:
        self.page.on("console", errors.record)
        self.page.on("pageerror", lambda error: errors.append(str(error)))
        return self

    def open_with_worker(self, path: str) -> Page:
        """The page, once the service worker controls it (as on a phone that used the app)."""
        self.page.goto(path)
        self.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        return self.page


@pytest.fixture
def phones(browser: Browser, server: LiveServer) -> Iterator[list[Phone]]:
    opened: list[Phone] = []
    yield opened
    for phone in opened:
        phone.context.close()


def tailor_on_order(
    browser: Browser,
    server: LiveServer,
    phones: list[Phone],
    errors: ConsoleErrors,
    tailor_id: int,
    public_id: UUID,
) -> tuple[Phone, Page]:
    """The tailor's phone, watched for errors, on the order's page with the worker in control."""
    tailor = Phone(browser, server, tailor_id).watched(errors)
    phones.append(tailor)
    return tailor, tailor.open_with_worker(f"/orders/{public_id}")


async def order_in_production(dp_paid: bool = True) -> tuple[int, int, UUID]:
    """A Langsung order a verified tailor took; the designer marked the down payment paid."""
    designer = await people.account("designer", "Dewi")
    tailor = await people.tailor("Siti Rahayu")
    public_id = await orders.assigned(designer, tailor, title=TITLE)
    if dp_paid:
        await mark_paid(public_id, designer, "dp")
    return designer, tailor, public_id


async def delivered(public_id: UUID) -> dict[str, list[object]]:
    """What reached the server: stage events after assignment, messages, the DP's state."""
    order = await Order.select(Order.id).where(Order.public_id == public_id).first()
    events = await (
        OrderEvent.select(OrderEvent.kind, OrderEvent.note, OrderEvent.photo, OrderEvent.created_at)
        .where((OrderEvent.order == order["id"]) & (OrderEvent.kind != "confirmed"))
        .order_by(OrderEvent.id)
    )
    messages = await Message.select(Message.body, Message.created_at).where(
        Message.order == order["id"]
    )
    dp = await Payment.select(Payment.status, Payment.confirmed_at).where(
        (Payment.order == order["id"]) & (Payment.kind == "dp")
    )
    return {"events": events, "messages": messages, "dp": dp}


@functools.cache
def camera_photo() -> bytes:
    """A 4000×3000 photo as the phone's camera makes it (about 4.5 MB)."""
    return photo_like(4000, 3000)


# The photos kept in the outbox, as the phone stored them: their bytes and pixel sizes.
QUEUED_PHOTOS = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("clothing-line-outbox");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const items = await new Promise((resolve, reject) => {
    const request = db.transaction("items").objectStore("items").getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  const photos = items.flatMap((item) => item.fields.map((field) => field[1]))
    .filter((value) => value && value.blob instanceof Blob).map((value) => value.blob);
  return Promise.all(photos.map(async (photo) => {
    const bitmap = await createImageBitmap(photo);
    return {size: photo.size, type: photo.type, width: bitmap.width, height: bitmap.height};
  }));
}"""


def queue_stage(page: Page, note: str, *, photo: bool = False) -> None:
    form = page.locator("form.stage-form")
    form.get_by_label("Catatan untuk desainer (opsional)").fill(note)
    if photo:
        form.get_by_label("Foto (opsional)").set_input_files(
            {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
        )
    form.get_by_role("button", name="Posting: Bahan diterima").click()


def queue_message(page: Page, body: str) -> None:
    page.get_by_label("Pesan untuk Dewi").fill(body)
    page.get_by_role("button", name="Kirim", exact=True).click()


def outbox_rows(page: Page) -> list[str]:
    return page.locator("#outbox li").all_inner_texts()


def test_actions_taken_offline_are_delivered_in_order_once_the_signal_is_back(
    browser: Browser, server: LiveServer, phones: list[Phone], console_errors: ConsoleErrors
) -> None:
    designer_id, tailor_id, public_id = server.call(order_in_production())
    order_url = f"/orders/{public_id}"
    tailor = Phone(browser, server, tailor_id).watched(console_errors)
    designer = Phone(browser, server, designer_id).watched(console_errors)
    phones.extend([tailor, designer])
    page = tailor.open_with_worker(order_url)

    # In the workshop, no signal: a stage with a photo, a message, the DP marked received.
    tailor.context.set_offline(True)
    queue_stage(page, "Kain katun sudah datang", photo=True)
    stage_form = page.locator("form.stage-form")
    pending = page.locator("[data-outbox-pending]")
    expect(pending.first).to_contain_text("Posting: Bahan diterima")
    expect(pending.first).to_contain_text(WAITING)
    expect(stage_form.get_by_label("Catatan untuk desainer (opsional)")).to_have_value("")
    queue_message(page, "Kak, bahannya sudah sampai.")
    expect(page.locator(".thread [data-outbox-pending]")).to_contain_text(
        "Kak, bahannya sudah sampai."
    )
    page.get_by_role("button", name="DP sudah masuk").click()

    outbox = page.locator("#outbox")
    expect(outbox.get_by_role("listitem")).to_have_count(3)
    rows = outbox_rows(page)
    assert "Posting: Bahan diterima" in rows[0] and "Kain katun sudah datang" in rows[0]
    assert "Pesan untuk Dewi" in rows[1] and "Kak, bahannya sudah sampai." in rows[1]
    assert "DP sudah masuk" in rows[2]
    assert all(WAITING.search(row) for row in rows), rows
    expect(page.locator("[data-outbox-link]")).to_contain_text("3")
    # The camera's photo waits already shrunk, as it would have been sent online.
    (queued,) = page.evaluate(QUEUED_PHOTOS)
    assert (queued["width"], queued["height"], queued["type"]) == (1280, 960, "image/jpeg")
    assert queued["size"] < len(camera_photo()) / 8, queued
    page.evaluate(AXE.read_text())
    assert page.evaluate(RUN_AXE, {}) == [], "the outbox and its lines pass the accessibility scan"
    assert server.call(delivered(public_id)) == {
        "events": [],
        "messages": [],
        "dp": [{"status": "paid", "confirmed_at": None}],
    }

    # The signal is back: all three go, in the order they were taken, once.
    sent: list[dict[str, str]] = []
    tailor.context.on(
        "request",
        lambda request: sent.append(request.headers) if request.method == "POST" else None,
    )
    tailor.context.set_offline(False)
    expect(outbox).to_be_hidden(timeout=15_000)
    keys = {headers["idempotency-key"] for headers in sent}
    assert len(keys) == 3 and all(UUID4.fullmatch(key) for key in keys), sent
    assert all(h["outbox"] == "1" and h["order-revision"].isdigit() for h in sent), sent
    expect(pending).to_have_count(0)
    reached = server.call(delivered(public_id))
    (stage,) = reached["events"]
    (message,) = reached["messages"]
    (dp,) = reached["dp"]
    assert (stage["kind"], stage["note"]) == ("materials_received", "Kain katun sudah datang")
    assert stage["photo"] is not None
    assert message["body"] == "Kak, bahannya sudah sampai."
    assert dp["status"] == "confirmed"
    assert stage["created_at"] < message["created_at"] < dp["confirmed_at"]
    # The tailor's own page shows them where they belong, without a reload.
    expect(page.locator(".timeline li.done", has_text="Kain katun sudah datang")).to_be_visible()
    expect(page.locator(".bubble.mine", has_text="Kak, bahannya sudah sampai.")).to_be_visible()

    # The designer's page shows them.
    designer.page.goto(order_url)
    region = designer.page.locator("section.production")
    expect(region.get_by_text("Kain katun sudah datang")).to_be_visible()
    expect(region.locator("img[src$='/small.webp']")).to_have_count(1)
    expect(region.locator(".payments li", has_text="Uang muka")).to_contain_text("Diterima")
    expect(designer.page.get_by_text("Kak, bahannya sudah sampai.")).to_be_visible()
    settled(designer.page)
    assert unexpected_errors(console_errors) == []


def test_a_send_whose_answer_was_lost_is_sent_again_and_counted_once(
    browser: Browser, server: LiveServer, phones: list[Phone], console_errors: ConsoleErrors
) -> None:
    _designer_id, tailor_id, public_id = server.call(order_in_production(dp_paid=False))
    tailor, page = tailor_on_order(browser, server, phones, console_errors, tailor_id, public_id)
    tailor.context.set_offline(True)
    queue_stage(page, "Kain sudah datang")
    queue_message(page, "Bahan lengkap, Kak.")
    expect(page.locator("#outbox li")).to_have_count(2)

    # A flaky network: each action's first send reaches the server, which does it, and the
    # answer never comes back to the phone.
    answered: dict[str, list[int]] = {"stages": [], "messages": []}

    def lose_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()  # the polls of the page
            return
        kind = route.request.url.rsplit("/", 1)[1]
        response = route.fetch()
        answered[kind].append(response.status)
        if len(answered[kind]) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    tailor.context.route(re.compile(r"/orders/[^/]+/(stages|messages)$"), lose_first_answer)
    tailor.context.set_offline(False)
    # Sent again (by the page a few seconds later, or by the worker's Background Sync): the
    # server answers what it answered the first time, and does nothing twice.
    expect(page.locator("#outbox")).to_be_hidden(timeout=30_000)
    assert answered == {"stages": [200, 200], "messages": [200, 200]}, answered
    reached = server.call(delivered(public_id))
    assert [event["note"] for event in reached["events"]] == ["Kain sudah datang"]
    assert [message["body"] for message in reached["messages"]] == ["Bahan lengkap, Kak."]
    assert unexpected_errors(console_errors) == []


TAKEN = "Another tailor already took this order."


async def offer_accepted_from(public_id: UUID, designer_id: int) -> None:
    """Another tailor's offer is accepted: the order is theirs."""
    other = await people.tailor("Budi Santoso")
    await orders.offer(other, public_id, 40_000)
    offer = await Offer.select(Offer.public_id).where(Offer.tailor == other).first()
    await accept_offer(designer_id, offer["public_id"])


def test_a_post_whose_answer_is_lost_with_signal_goes_to_the_outbox_with_its_own_key(
    browser: Browser, server: LiveServer, phones: list[Phone], console_errors: ConsoleErrors
) -> None:
    _designer_id, tailor_id, public_id = server.call(order_in_production(dp_paid=False))
    tailor, page = tailor_on_order(browser, server, phones, console_errors, tailor_id, public_id)
    form_key = page.locator("form.stage-form input[name=_idempotency_key]").input_value()
    keys: list[str] = []

    def lose_the_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        keys.append(route.request.header_value("idempotency-key") or form_key)
        response = route.fetch()
        if len(keys) == 1:
            route.abort("connectionreset")  # the phone said it had signal; the answer is lost
        else:
            route.fulfill(response=response)

    tailor.context.route(re.compile(r"/orders/[^/]+/stages$"), lose_the_answer)
    queue_stage(page, "Kain sudah datang")
    expect(page.locator("#outbox")).to_be_hidden(timeout=30_000)
    expect(page.locator(".timeline li.done", has_text="Kain sudah datang")).to_be_visible()
    tailor.context.unroute_all(behavior="ignoreErrors")
    assert len(keys) >= 2 and set(keys) == {form_key}, "sent again under the form's own key"
    assert [event["note"] for event in server.call(delivered(public_id))["events"]] == [
        "Kain sudah datang"
    ]
    assert unexpected_errors(console_errors) == []


async def offers_of(tailor_id: int) -> int:
    return await Offer.count().where(Offer.tailor == tailor_id)


def test_an_offer_queued_on_an_order_taken_meanwhile_shows_as_not_sent_with_the_reason(
    browser: Browser, server: LiveServer, phones: list[Phone], console_errors: ConsoleErrors
) -> None:
    designer_id = server.call(people.account("designer", "Dewi"))
    tailor_id = server.call(people.tailor("Siti Rahayu"))
    public_id = server.call(orders.order(designer_id, title=TITLE))
    tailor, page = tailor_on_order(browser, server, phones, console_errors, tailor_id, public_id)
    tailor.context.set_offline(True)
    page.get_by_text("Buat penawaran").click()
    page.get_by_label("Harga per pcs (Rupiah)").fill("43000")
    ready = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    page.get_by_label("Siap tanggal").fill(ready)
    page.get_by_role("button", name="Kirim penawaran").click()
    expect(page.locator("#outbox li")).to_contain_text(WAITING)

    server.call(offer_accepted_from(public_id, designer_id))
    tailor.context.set_offline(False)
    row = page.locator("#outbox li")
    expect(row).to_contain_text("Tidak terkirim: " + indonesian(TAKEN, html=False))
    expect(row).to_contain_text("Buka pesanannya untuk melihat apa yang berubah")
    expect(page.locator("[data-outbox-pending]")).to_contain_text("Tidak terkirim")
    assert server.call(offers_of(tailor_id)) == 0
    row.get_by_role("button", name="Hapus").click()
    expect(page.locator("#outbox")).to_be_hidden()
    assert unexpected_errors(console_errors) == []


def test_an_action_queued_eight_hours_earlier_is_sent_when_the_phone_is_back(
    browser: Browser,
    server: LiveServer,
    phones: list[Phone],
    console_errors: ConsoleErrors,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _designer_id, tailor_id, public_id = server.call(order_in_production(dp_paid=False))
    tailor, page = tailor_on_order(browser, server, phones, console_errors, tailor_id, public_id)
    tailor.context.set_offline(True)
    queue_message(page, "Besok saya mulai potong.")
    expect(page.locator("#outbox li")).to_contain_text(WAITING)
    page.close()

    # Eight hours later, on the server and on the phone, the app is opened again with signal.
    move_clock(monkeypatch, timedelta(hours=8))
    later = tailor.context.new_page()
    later.on("console", console_errors.record)
    later.clock.install(time=datetime.now(UTC) + timedelta(hours=8))
    tailor.context.set_offline(False)
    later.goto("/home")
    expect(later.locator("#outbox")).to_be_hidden()
    later.wait_for_function("() => document.querySelectorAll('#outbox li').length === 0")
    reached = server.call(delivered(public_id))
    assert [message["body"] for message in reached["messages"]] == ["Besok saya mulai potong."]
    assert unexpected_errors(console_errors) == []


async def signed_out_everywhere(account_id: int) -> None:
    await Session.delete().where(Session.account == account_id)


def test_an_ended_session_keeps_the_outbox_and_sends_it_after_signing_in(
    browser: Browser, server: LiveServer, phones: list[Phone], console_errors: ConsoleErrors
) -> None:
    _designer_id, tailor_id, public_id = server.call(order_in_production(dp_paid=False))
    tailor, page = tailor_on_order(browser, server, phones, console_errors, tailor_id, public_id)
    tailor.context.set_offline(True)
    queue_stage(page, "Kain sudah datang")
    expect(page.locator("#outbox li")).to_contain_text(WAITING)

    # Signed out from another phone ("Keluar dari semua perangkat lain") meanwhile.
    server.call(signed_out_everywhere(tailor_id))
    tailor.context.set_offline(False)
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Sesi Anda sudah berakhir")
    expect(outbox.get_by_role("link", name="Masuk")).to_be_visible()
    expect(outbox.locator("li")).to_contain_text("Menunggu Anda masuk lagi")
    assert server.call(delivered(public_id))["events"] == []

    # Signed in again (the passkey ceremony has its own tests): "Kirim sekarang" sends it.
    tailor.sign_in()
    outbox.locator("li").get_by_role("button", name="Kirim sekarang").click()
    expect(outbox).to_be_hidden()
    expect(page.locator(".timeline li.done", has_text="Kain sudah datang")).to_be_visible()
    assert [event["note"] for event in server.call(delivered(public_id))["events"]] == [
        "Kain sudah datang"
    ]
    assert unexpected_errors(console_errors) == []


def test_with_javascript_off_the_stage_form_posts_as_a_plain_form(
    browser: Browser, server: LiveServer, phones: list[Phone]
) -> None:
    _designer_id, tailor_id, public_id = server.call(order_in_production(dp_paid=False))
    tailor = Phone(browser, server, tailor_id, java_script_enabled=False)
    phones.append(tailor)
    page = tailor.page
    page.goto(f"/orders/{public_id}")
    expect(page.locator("#outbox")).to_be_hidden()
    queue_stage(page, "Kain sudah datang")
    expect(page.locator(".timeline li.done", has_text="Kain sudah datang")).to_be_visible()
    assert [event["note"] for event in server.call(delivered(public_id))["events"]] == [
        "Kain sudah datang"
    ]
