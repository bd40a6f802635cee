"""Work without signal: what a tailor does on an order offline is kept in the phone's outbox,
shown as waiting, and delivered once the signal is back: in order, exactly once, after hours,
after signing in again; what the order no longer allows is shown as not sent, with the reason.
Signing in is a session row and its cookie (the passkey ceremony has its own tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from server.auth.sessions import SESSION_COOKIE
from server.orders.payments.services import mark_paid
from server.orders.tables import Message, Order, OrderEvent, Payment
from tests.builders import orders, people
from tests.e2e.conftest import PHONE, ConsoleErrors, LiveServer, settled
from tests.e2e.passkey_helpers import unexpected
from tests.images import jpeg_with_gps

pytestmark = pytest.mark.e2e

TITLE = "Kemeja batik seragam kantor"
WAITING = re.compile(r"Menunggu sinyal, disimpan \d")
# Offline, a queued form is no network request: Chromium logs only polls that could not go.
OFFLINE_NOISE = "ERR_INTERNET_DISCONNECTED"


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


def queue_stage(page: Page, note: str, *, photo: bool = False) -> None:
    form = page.locator("form.stage-form")
    form.get_by_label("Catatan untuk desainer (opsional)").fill(note)
    if photo:
        form.get_by_label("Foto (opsional)").set_input_files(
            {"name": "progress.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(800, 600)}
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
    assert server.call(delivered(public_id)) == {
        "events": [],
        "messages": [],
        "dp": [{"status": "paid", "confirmed_at": None}],
    }

    # The signal is back: all three go, in the order they were taken, once.
    tailor.context.set_offline(False)
    expect(outbox).to_be_hidden(timeout=15_000)
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
    assert [e for e in unexpected(console_errors) if OFFLINE_NOISE not in e] == []
