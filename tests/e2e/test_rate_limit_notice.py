"""A refused message (rate limit) on a phone: the notice says when to try again, over the page
the person is on, and what they typed stays in the form."""

import dataclasses
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.auth.sessions import SESSION_COOKIE
from server.settings import HOUR, Limit
from server.web.ratelimit import RateLimiter
from tests.builders.people import signed_up
from tests.e2e.conftest import ConsoleErrors, LiveServer, settled
from tests.e2e.passkey_helpers import unexpected
from tests.e2e.test_production_journey import assigned_order

pytestmark = pytest.mark.e2e


@pytest.fixture
def one_message_an_hour(server: LiveServer) -> Iterator[None]:
    limiter: RateLimiter = server.app.state.rate_limiter
    before = limiter.limits
    limiter.limits = dataclasses.replace(before, messages=Limit(1, HOUR, burst=1))
    yield
    limiter.limits = before


def test_refused_message_shows_the_wait_over_the_page_and_keeps_the_text(
    page: Page,
    context: BrowserContext,
    server: LiveServer,
    one_message_an_hour: None,
    console_errors: ConsoleErrors,
) -> None:
    _designer_id, token = server.call(signed_up("designer", "Dewi Kirana", "0813-2222-3333"))
    server.call(signed_up("tailor", "Siti Rahayu", "0812-1000-0001"))
    url = server.call(assigned_order("Dewi Kirana", "Siti Rahayu"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.goto(url)
    settled(page)
    field = page.get_by_label("Pesan untuk Siti Rahayu")
    field.fill("Kainnya dikirim besok pagi.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    messages = page.locator(".thread")
    expect(messages.get_by_text("Kainnya dikirim besok pagi.")).to_be_visible()
    settled(page)

    field.fill("Satu lagi, Bu.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text(
        "Terlalu banyak dalam waktu singkat. Coba lagi 60 menit lagi."
        " Yang Anda kirim belum tersimpan."
    )
    expect(notice).to_be_in_viewport()
    expect(field).to_have_value("Satu lagi, Bu.")
    expect(messages.get_by_text("Kainnya dikirim besok pagi.")).to_be_visible()

    notice.get_by_role("button", name="Tutup").click()
    expect(notice).to_be_hidden()
    # htmx reports every refused request on the console: this one is expected.
    refusal = f"Response Status Error Code 429 from {url}/messages"
    assert [error for error in unexpected(console_errors) if refusal not in error] == []
