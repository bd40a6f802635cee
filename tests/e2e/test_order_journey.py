"""From a designer's new order to an assigned tailor, with a real push on the way."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.accounts.tables import Account
from server.auth.tables import Session
from server.notifications.sender import Sender, new_http_session
from server.notifications.subscriptions import save_subscription
from server.notifications.worker import run_once
from tests.builders.people import tailor
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    new_phone,
    register,
    unexpected,
    without_autofill,
)
from tests.push_receiver import PushReceiver

pytestmark = pytest.mark.e2e

KOTA_BANDUNG = "32.73"


async def ready_tailor(name: str, receiver: PushReceiver) -> None:
    """Located in Bandung, sews shirts, verified, switched on, and alerts allowed on the phone."""
    account = await Account.select(Account.id).where(Account.name == name).first()
    assert account is not None
    await tailor(account_id=account["id"], capacity=300, minimum_order=10)
    session = await Session.select(Session.id).where(Session.account == account["id"]).first()
    assert session is not None
    browser = receiver.browser()
    # The local receiver is on loopback: allowed explicitly, as PUSH_ALLOW_LOCAL_ENDPOINTS does.
    await save_subscription(
        account["id"], session["id"], browser.subscription(), "Chrome", allow_local=True
    )


async def send_pushes(server: LiveServer) -> int:
    keys = server.app.state.vapid
    async with new_http_session(allow_local=True) as http:
        sender = Sender(
            session=http,
            vapid=keys.vapid,
            subject=keys.subject,
            icon="/icon.png",
            allow_local=True,
        )
        return await run_once(sender, now=datetime.now(UTC))


def post_order(page: Page) -> None:
    page.goto("/orders/new?province=32")
    page.get_by_label("Jenis pakaian").select_option(value="kemeja")
    page.get_by_label("Judul").fill("Kemeja batik seragam kantor")
    page.get_by_label("M", exact=True).fill("30")
    page.get_by_label("L", exact=True).fill("20")
    page.get_by_label("Anggaran per potong (Rupiah)").fill("45000")
    page.get_by_role("radio", name=re.compile("kain saya kirim")).check()
    page.get_by_label("Tenggat").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Kota atau kabupaten tempat order diambil").select_option(value=KOTA_BANDUNG)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_text("Rp2.250.000").first).to_be_visible()
    page.get_by_role("button", name="Pasang sekarang").click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]{36}$"))


def test_designer_posts_tailor_offers_designer_accepts(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
) -> None:
    with PushReceiver() as receiver:
        tailor_context, tailor = new_phone(browser, server, console_errors)
        add_authenticator(tailor_context, without_autofill(tailor))
        register(tailor, name="Siti Rahayu", phone="0812-3456-7890")
        go_home(tailor, "Siti Rahayu")
        server.call(ready_tailor("Siti Rahayu", receiver))

        add_authenticator(context, without_autofill(page))
        register(
            page, role="Desainer, brand, atau pembeli industri", name="Dewi", phone="0813-2222-3333"
        )
        go_home(page, "Dewi")
        post_order(page)
        order_url = page.url

        assert server.call(send_pushes(server)) == 1
        (push,) = receiver.wait_for(1)
        payload = push.payload()
        assert payload["title"] == "Order baru di sekitar Anda: Kemeja batik seragam kantor"
        assert payload["url"] == order_url.removeprefix(server.url)

        tailor.goto("/jobs")
        tailor.get_by_role("link", name=re.compile("Kemeja batik seragam kantor")).first.click()
        expect(tailor).to_have_url(order_url)
        tailor.get_by_text("Buat penawaran").click()  # opens the bottom sheet
        tailor.get_by_label("Harga per pcs (Rupiah)").fill("44000")
        tailor.get_by_label("Siap tanggal").fill((date.today() + timedelta(days=20)).isoformat())
        tailor.get_by_role("button", name="Kirim penawaran").click()
        expect(tailor.get_by_role("button", name="Tarik penawaran")).to_be_visible()

        page.reload()
        page.get_by_role("button", name="Terima").click()
        expect(page.get_by_text("Diambil oleh Siti Rahayu").first).to_be_visible()

        tailor.goto(order_url)
        expect(tailor.get_by_role("status").get_by_text("Order ini untuk Anda")).to_be_visible()
        tailor_context.close()
    assert unexpected(console_errors) == []
