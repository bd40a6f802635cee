"""A tailor's phone: "Ambil" on a Langsung card whose terms the designer cut meanwhile opens
the new terms to agree to, not an order on terms the tailor never read."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.auth.sessions import SESSION_COOKIE, start_session
from server.orders.offers import services as orders
from server.orders.posting.editing import edit_order
from tests.builders.orders import order_form, published
from tests.builders.people import designer, tailor
from tests.e2e.conftest import ConsoleErrors, LiveServer

pytestmark = pytest.mark.e2e


def test_ambil_on_changed_terms_shows_them_and_agreeing_takes_the_order(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    owner = server.call(designer())
    siti = server.call(tailor(km=2.0, name="Siti Rahayu"))
    order = server.call(published(owner, mode="direct", quantity=40, budget_per_piece=70_000))
    token = server.call(start_session(siti, "Mozilla/5.0 (Linux; Android 13)", "passkey"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])

    page.goto("/jobs")
    card = page.locator(f"#order-{order.public_id}-card")
    expect(card).to_contain_text("40 pcs · Rp70.000/pcs")
    cut = order_form(mode="direct", quantity=400, budget_per_piece=1_000)
    server.call(edit_order(owner, order.public_id, cut))  # while the card is on the phone
    card.get_by_role("button", name="Ambil").click()

    terms = page.locator(f"#order-{order.public_id}-terms")
    expect(page.get_by_role("alert")).to_contain_text("Desainer mengubah order ini")
    expect(terms).to_contain_text("400 pcs")
    expect(terms).to_contain_text("Rp1.000/pcs")
    expect(terms).to_contain_text("Rp400.000")
    assert server.call(orders.open_order(order.public_id)).status == "open"
    page.get_by_role("button", name="Setuju dengan syarat baru dan ambil").click()

    expect(page.get_by_role("status").filter(has_text="Order ini untuk Anda")).to_contain_text(
        "Rp1.000/pcs"
    )
    final = server.call(orders.open_order(order.public_id))
    assert (final.status, final.assigned_tailor) == ("assigned", siti)
    assert (final.quantity, final.agreed_price_per_piece) == (400, 1_000)
    # The browser and htmx log the 409 that showed the new terms; nothing else went wrong.
    assert [error for error in console_errors if "409" not in error] == []
