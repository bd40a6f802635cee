"""A tailor's phone: the nearby orders feed, read offline from the cache, and answering orders."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.accounts.services import create_invited_account
from server.accounts.tables import Account
from server.orders.posting.forms import parse_order
from server.orders.posting.services import publish
from tests.builders.orders import reach
from tests.builders.people import tailor
from tests.builders.places import today
from tests.e2e.conftest import ConsoleErrors, LiveServer, wait_until_saved
from tests.e2e.passkey_helpers import add_authenticator, go_home, register, without_autofill

pytestmark = pytest.mark.e2e


async def ready_tailor_and_orders(name: str) -> None:
    """The tailor is verified and switched on in Bandung; a designer posts two orders there."""
    account = await Account.select(Account.id).where(Account.name == name).first()
    assert account is not None
    await tailor(account_id=account["id"])
    designer_id, _token = await create_invited_account("designer", "Dewi", "0813-5555-0009", None)
    for title, mode, city in [
        ("Kemeja batik kantor", "bidding", "32.73"),
        ("Kemeja seragam sekolah", "direct", "32.77"),
    ]:
        fields = {
            "category": "kemeja",
            "title": title,
            "fabric_by": "designer",
            "size_M": "40",
            "budget_per_piece": "45000",
            "deadline": (today() + timedelta(days=14)).isoformat(),
            "city": city,
            "mode": mode,
        }
        order = await publish(designer_id, parse_order(fields, today()), [])
        await reach(order.id, 10)  # Cimahi is 9,8 km away: the second wave reaches it


def test_feed_opens_offline_with_its_age_and_orders_are_answered(
    page: Page,
    context: BrowserContext,
    server: LiveServer,
    console_errors: ConsoleErrors,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("server.orders.offers.routes.PAGE_SIZE", 1)
    add_authenticator(context, without_autofill(page))
    register(page, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(page, "Siti Rahayu")
    server.call(ready_tailor_and_orders("Siti Rahayu"))
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    feed_link = page.get_by_role("link", name="Order di sekitar Anda: 2 baru")
    expect(feed_link).to_be_visible()  # the count arrives with htmx after the page
    feed_link.click()
    expect(page).to_have_url(re.compile(r"/jobs$"))
    cards = page.locator("article.job-card")
    expect(cards).to_have_count(1)
    page.get_by_role("link", name="Muat lebih banyak").click()
    expect(cards).to_have_count(2)  # appended in place
    expect(page.get_by_role("link", name="Muat lebih banyak")).to_have_count(0)
    wait_until_saved(page, page.url)

    # The bus ride: offline, twelve minutes later.
    context.set_offline(True)
    page.clock.install(time=datetime.now(UTC) + timedelta(minutes=12))
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Order di sekitar Anda")
    expect(cards).to_have_count(1)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("Diperbarui 12 menit yang lalu.")
    context.set_offline(False)

    page.goto("/jobs")
    page.get_by_role("link", name="Kemeja batik kantor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kemeja batik kantor")
    page.get_by_text("Buat penawaran", exact=True).click()
    expect(page.get_by_label("Harga per pcs (Rupiah)")).to_have_value("45000")
    page.get_by_label("Harga per pcs (Rupiah)").fill("42000")
    page.locator("form.stack button[type=submit]").click()
    expect(page.get_by_text("Penawaran Anda sudah dikirim ke desainer.")).to_be_visible()
    expect(page.get_by_text("Rp42.000/pcs")).to_be_visible()

    page.goto("/jobs?page=2")
    page.get_by_role("button", name="Ambil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kemeja seragam sekolah")
    expect(page.get_by_text("Order ini untuk Anda").first).to_be_visible()
    assert [e for e in console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
