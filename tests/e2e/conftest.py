"""The app served by uvicorn on localhost, and Chromium (Playwright, sync API) to drive it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from server.app import create_app
from tests.conftest import make_settings
from tests.processes import ThreadedServer, free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Tests put two phones in one browser: the page not in front must not have its timers and
    # rendering held back (a real phone in someone's hand is in front).
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


class LiveServer(ThreadedServer):
    """The app under uvicorn in a thread, on localhost (the passkeys' RP ID)."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        port = free_port()
        self.url = f"http://localhost:{port}"
        # The live server keeps its own pool: tests reach the database through `call`.
        # Order pages poll every second here, so a test sees a change without waiting long.
        self.settings = dataclasses.replace(
            make_settings(database_url, data_dir, origin=self.url, pool_size=5), poll_seconds=1
        )
        self.app = create_app(self.settings)
        super().__init__(self.app, port)


def settled(page: Page) -> None:
    """No htmx request, swap or settle under way on the page."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-settling, .htmx-swapping, .htmx-request')"
    )


# wait_for_function does not await a promise (it is truthy): each poll starts a look-up and
# answers with the last one's result.
IS_SAVED = """(url) => {
  const seen = (window.savedCopies = window.savedCopies || {});
  caches.match(url).then((found) => { seen[url] = Boolean(found); });
  return seen[url] === true;
}"""


def wait_until_saved(page: Page, url: str) -> None:
    """The service worker holds a copy of `url`, in whichever of its caches."""
    page.wait_for_function(IS_SAVED, arg=url)


@pytest.fixture(scope="session")
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path_factory.mktemp("live-data"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server: LiveServer, clean_database: str) -> LiveServer:
    """The shared live server, with an empty database and fresh sign-in rate limits."""
    live_server.call(live_server.app.stores.get("rate_limit").delete_all())
    return live_server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test` (it installs it)")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def context(browser: Browser, server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=server.url, locale="id-ID"
    )
    yield context
    context.close()


class ConsoleErrors(list[str]):
    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.append(message.text)


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def page(
    context: BrowserContext, console_errors: ConsoleErrors, request: pytest.FixtureRequest
) -> Iterator[Page]:
    page = context.new_page()
    page.on("console", console_errors.record)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
