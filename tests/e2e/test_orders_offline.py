"""Both sides of an order in production read their list offline: the designer's "Pesanan saya"
and the tailor's "Pekerjaan saya" come from the service worker, with the age of the copy."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.accounts.tables import Account
from server.orders.assignment.services import take
from server.orders.posting.forms import parse_order
from server.orders.posting.services import publish
from server.orders.production import services as production
from server.orders.production.stages import Stage
from server.orders.tables import Message, Order
from tests.builders import people
from tests.builders.places import today
from tests.e2e.conftest import ConsoleErrors, LiveServer, wait_until_saved
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    new_phone,
    register,
    unexpected,
    without_autofill,
)

pytestmark = pytest.mark.e2e

DESIGNER = "Desainer, brand, atau pembeli industri"
TITLE = "Kemeja batik seragam kantor"


async def account_id(name: str) -> int:
    account = await Account.select(Account.id).where(Account.name == name).first()
    assert account is not None
    return int(account["id"])


async def order_in_production(designer: str, tailor: str) -> None:
    """The designer posts a Langsung order, the tailor takes it and posts two stages; the
    designer has written once."""
    designer_id, tailor_id = await account_id(designer), await account_id(tailor)
    await people.tailor(account_id=tailor_id)
    fields = {
        "category": "kemeja",
        "title": TITLE,
        "fabric_by": "designer",
        "size_M": "40",
        "budget_per_piece": "45000",
        "deadline": (today() + timedelta(days=20)).isoformat(),
        "city": "32.73",
        "mode": "direct",
    }
    order = await publish(designer_id, parse_order(fields, today()), [])
    await take(tailor_id, order.public_id)
    for stage in (Stage.MATERIALS_RECEIVED, Stage.CUTTING):
        await production.advance(order.public_id, tailor_id, stage)
    row = await Order.select(Order.id).where(Order.public_id == order.public_id).first()
    assert row is not None
    await Message.insert(
        Message(order=row["id"], sender=designer_id, recipient=tailor_id, body="Kainnya cukup?")
    )


def read_offline(page: Page, context: BrowserContext, heading: str) -> None:
    """Once the page is saved: offline and twelve minutes later, the reload is the saved copy."""
    wait_until_saved(page, page.url)
    context.set_offline(True)
    page.clock.install(time=datetime.now(UTC) + timedelta(minutes=12))
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("Diperbarui 12 menit yang lalu.")
    context.set_offline(False)


def test_both_lists_open_offline_with_stage_and_next_step(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, role=DESIGNER, name="Dewi", phone="0813-2222-3333")
    go_home(page, "Dewi")
    tailor_context, tailor = new_phone(browser, server, console_errors)
    add_authenticator(tailor_context, without_autofill(tailor))
    register(tailor, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(tailor, "Siti Rahayu")
    server.call(order_in_production("Dewi", "Siti Rahayu"))

    # The designer: "Pesanan saya" from the header, saved by the worker, read on the bus.
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name="Pesanan saya", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/orders$"))
    row = page.locator("li.row", has_text=TITLE)
    expect(row).to_contain_text("Potong")
    expect(row).to_contain_text("Anda: bayar uang muka (DP)")
    read_offline(page, context, "Pesanan saya")
    expect(row).to_contain_text("Potong")
    expect(row).to_contain_text("Penjahit: Siti Rahayu")

    # The tailor: the next step on the home screen, then the whole list, offline too.
    tailor.reload()
    tailor.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(tailor.get_by_text("Anda: posting Jahit")).to_be_visible()
    tailor.get_by_role("link", name="Semua pekerjaan saya (1 sedang diproduksi)").click()
    expect(tailor).to_have_url(re.compile(r"/work$"))
    job = tailor.locator("li.row", has_text=TITLE)
    expect(job).to_contain_text("Anda: posting Jahit")
    expect(job).to_contain_text("1 pesan belum dibaca")
    read_offline(tailor, tailor_context, "Pekerjaan saya")
    expect(job).to_contain_text("Anda: posting Jahit")
    expect(job).to_contain_text("1 pesan belum dibaca")

    tailor_context.close()
    assert [e for e in unexpected(console_errors) if "ERR_INTERNET_DISCONNECTED" not in e] == []
