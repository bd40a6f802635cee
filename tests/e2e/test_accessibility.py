"""axe-core over every page, for each role, at a phone's width and a desktop's: no violations.

Every GET route of the app is either scanned here or named as no page of its own (files,
JSON, redirects, fragments), so a new page without a scan fails a test."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, Page, expect

from server.app import ROUTES
from server.auth.sessions import SESSION_COOKIE
from server.tailors.services import ONBOARDING_STEPS
from tests.builders import pages as page_builders
from tests.builders.pages import Person
from tests.e2e.conftest import LiveServer, settled

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
VIEWPORTS = ({"width": 360, "height": 740}, {"width": 1280, "height": 800})
# GET routes that answer no page of their own.
NOT_PAGES = {
    "/healthz",  # JSON
    "/healthz/live",  # JSON
    "/healthz/ready",  # JSON
    "/manifest.webmanifest",  # JSON
    "/sw.js",  # the service worker's script
    "/static/{digest:str}/{path:path}",  # files
    "/media/{public_id:uuid}/{size:str}",  # images
    "/admin/tailors.csv",  # a spreadsheet
    "/account/data",  # the person's data, a JSON download
    "/onboarding",  # redirects to the first step
    "/notifications/{public_id:uuid}",  # redirects to what the notification is about
    "/jobs/summary",  # a fragment of the tailor's home
    "/orders/{public_id:uuid}/production",  # a fragment the order page polls
    "/orders/{public_id:uuid}/messages",  # a fragment the order page polls
    "/outbox/token",  # JSON the phone's outbox reads before it sends
}
# axe-core's default rules, with those it leaves off that matter here: one id per element,
# and targets a finger can hit (WCAG 2.2). Shows each violation as: id (impact): the
# selectors of the elements at fault.
RUN_AXE = """options => axe.run(document, {
    resultTypes: ["violations"],
    rules: {"duplicate-id": {enabled: true}, "duplicate-id-active": {enabled: true},
            "target-size": {enabled: true}},
    ...options,
}).then(result =>
    result.violations.map(v =>
        `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`))"""
# The stylesheet changes only the layout with the width (it hides nothing), so at the wider
# width only the rules that depend on layout run again.
LAYOUT_RULES = {
    "runOnly": ["color-contrast", "target-size", "scrollable-region-focusable"],
    "rules": {},
}


def preview(page: Page) -> None:
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("button", name="Pasang sekarang")).to_be_visible()


def invite(page: Page, phone: str) -> None:
    page.get_by_label("Nama").fill("Wati Peserta")
    page.get_by_label("Nomor WhatsApp").fill(phone)
    page.get_by_role("button", name="Buat akun dan tautan").click()


def invite_a_taken_number(page: Page) -> None:
    invite(page, "0812-7000-0007")
    expect(page.get_by_role("alert")).to_be_visible()


def invite_a_new_number(page: Page) -> None:
    invite(page, "0812-7000-0099")
    expect(page.locator("main a[href*='/enrol/']")).to_be_visible()


class Screen(NamedTuple):
    """A page to scan: its route, which of the person's ids fills its path, the status, and
    what to do there next, each followed by a scan of what it shows."""

    route: str
    id: str | None = None
    status: int = 200
    then: tuple[Callable[[Page], None], ...] = ()

    def url(self, person: Person) -> str:
        if self.id is None:
            return self.route
        return re.sub(r"\{[^}]+\}", str(person.ids[self.id]), self.route)


ACCOUNT = [
    Screen("/account"),
    Screen("/account/passkeys"),
    Screen("/account/sessions"),
    Screen("/account/recovery-codes"),
    Screen("/account/notifications"),
    Screen("/account/delete"),
    Screen("/notifications"),
]
ORDER = "/orders/{public_id:uuid}"
TAILOR = "/tailors/{public_id:uuid}"
ROLES: dict[str, tuple[Callable[[Litestar], Coroutine[Any, Any, Person]], list[Screen]]] = {
    "visitor": (
        lambda app: page_builders.visitor(),
        [
            Screen("/"),
            Screen("/login"),
            Screen("/register"),
            Screen("/recover"),
            Screen("/enrol/{token:str}", "enrolment"),
            Screen("/offline"),
            Screen("/privacy"),
            Screen("/no-such-page", status=404),
        ],
    ),
    "new tailor": (
        lambda app: page_builders.new_tailor(),
        [
            Screen("/home"),
            *[Screen(f"/onboarding/{step}") for step in ONBOARDING_STEPS],
            Screen(TAILOR, "self"),
            *ACCOUNT,
        ],
    ),
    "tailor waiting for verification": (
        page_builders.waiting_tailor,
        [Screen("/home"), *[Screen(f"/onboarding/{step}") for step in ONBOARDING_STEPS]],
    ),
    "verified tailor": (
        lambda app: page_builders.verified_tailor(),
        [
            Screen("/home"),
            Screen("/jobs"),
            Screen(ORDER, "feed_order"),
            Screen(ORDER, "offered_order"),
            Screen(ORDER, "production_order"),
            Screen("/work"),
            Screen(TAILOR, "self"),
            Screen("/notifications"),
            # With an order in production: what to finish before the account can go.
            Screen("/account/delete"),
            Screen("/admin", status=403),
        ],
    ),
    "designer": (
        lambda app: page_builders.designer_with_orders(),
        [
            Screen("/home"),
            Screen("/business-profile"),
            Screen("/orders/new"),
            Screen("/orders/drafts/{draft_id:uuid}", "draft", then=(preview,)),
            Screen("/orders"),
            Screen(ORDER, "offers_order"),
            Screen(ORDER, "production_order"),
            Screen(ORDER, "completed_order"),
            Screen(TAILOR, "tailor"),
            # The same account pages as a tailor's, but for the role's own alert kinds.
            Screen("/account"),
            Screen("/account/notifications"),
        ],
    ),
    "admin": (
        page_builders.admin,
        [
            Screen("/admin"),
            Screen("/admin/targets"),
            Screen("/admin/verifications"),
            Screen("/admin/verifications/{public_id:uuid}", "certificate"),
            Screen("/admin/tailors"),
            Screen(TAILOR, "tailor"),
            Screen("/admin/cohorts"),
            Screen("/admin/cohorts/new"),
            Screen("/admin/cohorts/{public_id:uuid}", "cohort"),
            Screen("/admin/accounts"),
            Screen("/admin/accounts/{public_id:uuid}", "designer"),
            Screen("/admin/accounts/new", then=(invite_a_taken_number, invite_a_new_number)),
            Screen("/admin/disputes"),
            Screen("/admin/disputes/{public_id:uuid}", "dispute"),
            Screen(ORDER, "order"),
        ],
    ),
}


def page_routes() -> set[str]:
    """The path of every GET route the app serves."""
    app = Litestar(route_handlers=ROUTES, openapi_config=None)
    return {
        route.path
        for route in app.routes
        if any("GET" in handler.http_methods for handler in route.route_handlers)  # type: ignore[attr-defined]
    }


def violations(page: Page, where: str) -> list[str]:
    """axe-core's findings on the page as it is now, at each width."""
    # What a tap on a summary would show is scanned too.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    found = []
    for viewport, options in zip(VIEWPORTS, ({}, LAYOUT_RULES), strict=True):
        page.set_viewport_size(viewport)
        found += [
            f"{where} at {viewport['width']} px: {v}" for v in page.evaluate(RUN_AXE, options)
        ]
    return found


def test_every_page_of_the_app_is_scanned() -> None:
    scanned = {screen.route for _builder, screens in ROLES.values() for screen in screens}
    assert page_routes() - NOT_PAGES - scanned == set(), "pages without an accessibility scan"
    assert NOT_PAGES - page_routes() == set(), "routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_no_page_has_accessibility_violations(
    role: str, browser: Browser, server: LiveServer
) -> None:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make test` (it installs it)")
    builder, screens = ROLES[role]
    person = server.call(builder(server.app))
    context = browser.new_context(base_url=server.url, locale="id-ID", viewport=VIEWPORTS[0])
    if person.token is not None:
        context.add_cookies([{"name": SESSION_COOKIE, "value": person.token, "url": server.url}])
    # The page's CSP refuses a script tag; a script the browser runs before each page is not
    # held to it.
    context.add_init_script(path=AXE)
    page = context.new_page()
    found = []
    for screen in screens:
        url = screen.url(person)
        response = page.goto(url)
        assert response is not None and response.status == screen.status, url
        assert page.url == server.url + url, f"{url} went to {page.url}"
        settled(page)
        found += violations(page, url)
        for action in screen.then:
            action(page)
            found += violations(page, f"{url}, {action.__name__}")
    context.close()
    assert found == [], "\n".join(found)
