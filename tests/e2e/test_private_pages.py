"""Private pages do not outlive the session on a shared or lost phone: Back after signing out,
a session revoked from another phone, another account on the same phone, an old saved copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from server.accounts.tables import Role
from server.auth.sessions import SESSION_COOKIE, start_session
from server.media.services import store_photo
from server.orders.assignment.services import take
from tests.builders.orders import order
from tests.builders.people import signed_up, tailor
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, wait_until_saved
from tests.e2e.passkey_helpers import sign_out
from tests.images import jpeg_with_gps

pytestmark = pytest.mark.e2e

DESIGNER_NAME = "Dewi Kirana"
TAILOR_NAME = "Siti Rahayu"


async def taken_order() -> tuple[int, int, UUID]:
    designer_id, _token = await signed_up(Role.DESIGNER, DESIGNER_NAME, "0813-5555-0000")
    tailor_id, _token = await signed_up(Role.TAILOR, TAILOR_NAME, "0812-1000-0001")
    await tailor(account_id=tailor_id)
    public_id = await order(designer_id, mode="direct", title="Kemeja batik kantor")
    await take(tailor_id, public_id)
    return designer_id, tailor_id, public_id


def signed_in(context: BrowserContext, server: LiveServer, account_id: int) -> None:
    token = server.call(start_session(account_id, "Mozilla/5.0 (Linux; Android 13)", "passkey"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])


def controlled(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


@pytest.fixture(scope="module")
def phone_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium as on a phone: Playwright turns the back/forward cache off, phones have it on."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


def test_back_after_sign_out_shows_sign_in_not_the_last_page(
    phone_browser: Browser, server: LiveServer
) -> None:
    _designer_id, tailor_id, _public_id = server.call(taken_order())
    context = phone_browser.new_context(base_url=server.url, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    signed_in(context, server, tailor_id)
    page.goto("/home")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Halo, {TAILOR_NAME}")
    page.get_by_role("link", name="Akun", exact=True).click()  # boosted: htmx keeps a snapshot
    expect(page.get_by_text("0812-1000-0001").first).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is not None

    sign_out(page)
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    page.go_back(wait_until="commit")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Faccount$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    expect(page.get_by_text("0812-1000-0001")).to_have_count(0)
    page.go_back(wait_until="commit")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fhome$"))
    expect(page.get_by_text(TAILOR_NAME)).to_have_count(0)
    context.close()


def save_work_list(page: Page) -> str:
    """The tailor's "Pekerjaan saya", opened online once the worker controls the page: saved."""
    page.goto("/home")
    controlled(page)
    page.goto("/work")
    expect(page.locator("li.row", has_text="Kemeja batik kantor")).to_be_visible()
    wait_until_saved(page, page.url)
    return page.url


def offline_shows_nothing_saved(page: Page, context: BrowserContext, url: str) -> None:
    context.set_offline(True)
    response = page.goto(url)
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Anda sedang offline")
    expect(page.get_by_text("Kemeja batik kantor")).to_have_count(0)
    context.set_offline(False)


def test_a_session_ended_from_another_phone_leaves_no_saved_pages_offline(
    page: Page, context: BrowserContext, browser: Browser, server: LiveServer
) -> None:
    _designer_id, tailor_id, _public_id = server.call(taken_order())
    signed_in(context, server, tailor_id)
    work = save_work_list(page)

    # The phone is lost: from another phone, "Keluar dari semua perangkat lain".
    other = browser.new_context(base_url=server.url, viewport=PHONE, locale="id-ID")
    signed_in(other, server, tailor_id)
    other_page = other.new_page()
    other_page.goto("/account/sessions")
    other_page.get_by_role("button", name="Keluar dari semua perangkat lain").click()
    expect(other_page.locator("#session-list li")).to_have_count(1)
    other.close()

    # Whoever holds the lost phone opens the app online once: the server sends it to sign in...
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fhome$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    # ...and from then on the saved list is not on the phone any more.
    offline_shows_nothing_saved(page, context, work)
    assert page.evaluate("caches.match(location.origin + '/work').then(Boolean)") is False


def test_another_account_on_the_same_phone_never_sees_the_first_ones_pages(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    _designer_id, tailor_id, _public_id = server.call(taken_order())
    other_id, _token = server.call(signed_up(Role.TAILOR, "Rina Lestari", "0812-1000-0002"))
    signed_in(context, server, tailor_id)
    work = save_work_list(page)

    # Another tailor of the household signs in on the same phone (no sign-out page between).
    context.clear_cookies()
    signed_in(context, server, other_id)
    page.goto("/home")
    expect(page.get_by_role("heading", level=1)).to_have_text("Halo, Rina Lestari")
    offline_shows_nothing_saved(page, context, work)


AGE_COPY = """async ([url, ageMs]) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const saved = await cache.match(url);
    if (!saved) continue;
    const headers = new Headers(saved.headers);
    headers.set("Saved-At", String(Date.now() - ageMs));
    await cache.put(url, new Response(await saved.blob(), { status: saved.status, headers }));
    return true;
  }
  return false;
}"""
DAY_MS = 24 * 3600 * 1000


def test_a_saved_page_is_shown_for_seven_days_and_not_after(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    _designer_id, tailor_id, _public_id = server.call(taken_order())
    signed_in(context, server, tailor_id)
    work = save_work_list(page)

    assert page.evaluate(AGE_COPY, [work, 6 * DAY_MS + 23 * 3600 * 1000]) is True
    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Pekerjaan saya")

    assert page.evaluate(AGE_COPY, [work, 7 * DAY_MS + 60 * 1000]) is True
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Anda sedang offline")
    expect(page.get_by_text("Kemeja batik kantor")).to_have_count(0)
    context.set_offline(False)


def test_photos_of_a_saved_page_come_from_the_worker_not_the_network(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    """no-store keeps photos out of the browser's cache: the worker keeps them instead, with the
    account's pages, so they cost no download on the next visit and show offline."""
    designer_id, tailor_id, _public_id = server.call(taken_order())
    media = server.app.state.media
    photo = server.call(store_photo(media, designer_id, "order", jpeg_with_gps()))
    public_id = server.call(order(designer_id, title="Kemeja linen", photo_ids=(photo["id"],)))
    signed_in(context, server, tailor_id)
    page.goto("/home")
    controlled(page)
    thumbnail = f"{server.url}/media/{photo['public_id']}/small.webp"
    page.goto(f"/orders/{public_id}")
    wait_until_saved(page, page.url)
    wait_until_saved(page, thumbnail)

    with page.expect_response(thumbnail) as second_visit:
        page.reload()
    assert second_visit.value.from_service_worker
    context.set_offline(True)
    page.reload()
    image = page.locator(f"img[src='/media/{photo['public_id']}/small.webp']")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("(img) => img.naturalWidth") > 0
    context.set_offline(False)
