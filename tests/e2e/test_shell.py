"""The page shell in a real Chromium: languages, offline, installability."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ConsoleErrors,
    LiveServer,
    wait_until_saved,
)

pytestmark = pytest.mark.e2e


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_home_page_in_indonesian_then_english(page: Page, console_errors: ConsoleErrors) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Order jahit untuk penjahit bersertifikat, di sekitar Anda"
    )
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sewing orders for certified tailors, near you"
    )
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sewing orders for certified tailors, near you"
    )
    assert console_errors == []


def test_home_page_works_offline_after_first_visit(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    page.goto("/")
    wait_for_service_worker(page)
    page.reload()  # now the service worker saves the page as it passes
    wait_until_saved(page, page.url)
    expect(page.locator("#offline-banner")).to_be_hidden()

    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Order jahit untuk penjahit bersertifikat, di sekitar Anda"
    )
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("Anda sedang offline.")

    response = page.goto("/never-visited")
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Anda sedang offline")
    context.set_offline(False)
    assert [e for e in console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_app_is_installable(playwright: Playwright, server: LiveServer, tmp_path: Path) -> None:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == []
    finally:
        context.close()
