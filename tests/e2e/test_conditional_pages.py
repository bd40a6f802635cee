"""The job feed and the work lists over real HTTP: a 304 with no body while nothing on the page
changed for the person asking, a new page and ETag as soon as something they see changes, and
never one person's ETag for another. In Chromium, the service worker offers its saved copy by
that ETag and shows it on a 304."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar.types import Message, Scope
from playwright.sync_api import BrowserContext, Page, expect

from server.auth.sessions import SESSION_COOKIE, start_session
from server.designers.tables import DesignerProfile
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.posting.services import cancel
from server.orders.production.stages import Stage
from server.orders.thread.services import send_message
from server.web.middleware import header
from tests.builders.orders import draft, in_production, offer, order
from tests.builders.people import designer, tailor
from tests.conftest import run_async
from tests.e2e.conftest import ConsoleErrors, LiveServer, wait_until_saved
from tests.e2e.races import on_server, signed_in
from tests.helpers import HX


async def tag_of(client: httpx.AsyncClient, path: str, **headers: str) -> str:
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return str(response.headers["etag"])


async def unchanged(client: httpx.AsyncClient, path: str, held: str, **headers: str) -> bool:
    """Whether the page answers 304 to a browser holding the `held` ETag(s), else a new page."""
    response = await client.get(path, headers={"If-None-Match": held, **headers})
    if response.status_code == 304:
        assert response.content == b""
        assert response.headers["etag"] in held
        assert response.headers["cache-control"] == "no-store"
        return True
    assert response.status_code == 200
    assert response.headers["etag"] not in held
    assert response.text
    return False


async def ping(account_id: int) -> None:
    """A notification for the account: the header's bell counts one more."""

    def alert() -> Alert:
        return Alert(title="Akun", body="Ada kabar", url="/account")

    await notify(account_id, AlertKind.ACCOUNT, alert)


def test_the_feed_is_a_304_until_something_the_tailor_sees_changes(server: LiveServer) -> None:
    async def steps() -> None:
        owner = await on_server(server, designer(business="Batik Kirana"))
        tailor_id = await on_server(server, tailor(km=1.0, radius=20))
        first = await on_server(server, order(owner, title="Kemeja pertama"))
        phone = await signed_in(server, tailor_id)
        tag = await tag_of(phone, "/jobs")
        assert await unchanged(phone, "/jobs", tag)
        assert await unchanged(phone, "/jobs", f'"other", {tag}')

        # What the viewer sees, one change at a time: each gives a new page, then 304 again.
        changes: list[Any] = [
            order(owner, title="Kemeja kedua"),
            cancel(owner, first, "Tidak jadi"),
            DesignerProfile.update({DesignerProfile.business_name: "Batik Baru"})
            .where(DesignerProfile.account == owner)
            .run(),
            ping(tailor_id),
        ]
        for change in changes:
            await on_server(server, change)
            assert not await unchanged(phone, "/jobs", tag)
            tag = await tag_of(phone, "/jobs")
            assert await unchanged(phone, "/jobs", tag)
        page = (await phone.get("/jobs")).text
        assert "Kemeja kedua" in page and "Kemeja pertama" not in page and "Batik Baru" in page

        # The same feed in another language, filtered, or as the next cards: another ETag.
        assert not await unchanged(phone, "/jobs", tag, **{"Accept-Language": "en"})
        assert not await unchanged(phone, "/jobs?km=5", tag)
        assert not await unchanged(phone, "/jobs", tag, **HX)
        await phone.aclose()

    run_async(steps)


def test_viewers_never_share_an_etag(server: LiveServer) -> None:
    async def steps() -> None:
        owner = await on_server(server, designer())
        await on_server(server, order(owner, title="Kemeja untuk semua"))
        # Two tailors in the same place see the same orders, but not the same page.
        neighbours = [
            await on_server(server, tailor(km=1.0, name=f"Penjahit {name}")) for name in "AB"
        ]
        phones = [await signed_in(server, account_id) for account_id in neighbours]
        # And one tailor on two phones: each page carries its own phone's CSRF token.
        phones.append(await signed_in(server, neighbours[0]))
        tags = [await tag_of(phone, "/jobs") for phone in phones]
        assert len(set(tags)) == len(tags)
        for phone, tag in zip(phones, [tags[1], tags[2], tags[0]], strict=True):
            assert not await unchanged(phone, "/jobs", tag)
        for phone in phones:
            await phone.aclose()

    run_async(steps)


def test_the_work_lists_are_a_304_until_a_line_changes(server: LiveServer) -> None:
    async def steps() -> None:
        owner = await on_server(server, designer())
        maker = await on_server(server, tailor(km=1.0))
        other = await on_server(server, tailor(km=2.0, name="Penawar"))
        making = await on_server(server, in_production(owner, maker, Stage.CUTTING))
        asked = await on_server(server, order(owner, title="Kemeja ditawar"))
        designer_phone = await signed_in(server, owner)
        tailor_phone = await signed_in(server, maker)
        mine = await tag_of(designer_phone, "/orders")
        work = await tag_of(tailor_phone, "/work")
        assert await unchanged(designer_phone, "/orders", mine)
        assert await unchanged(tailor_phone, "/work", work)
        assert not await unchanged(designer_phone, "/orders", work)

        # A new offer on the designer's list, a saved draft: the designer's list changes.
        for change in (offer(other, asked, 40_000), draft(owner, title="Kaos draf")):
            await on_server(server, change)
            assert not await unchanged(designer_phone, "/orders", mine)
            mine = await tag_of(designer_phone, "/orders")
        assert await unchanged(tailor_phone, "/work", work)
        # A message from the designer: the tailor's line counts it (and so does the bell).
        await on_server(server, send_message(making, owner, "designer", "Kainnya sudah siap?"))
        assert not await unchanged(tailor_phone, "/work", work)
        assert await unchanged(designer_phone, "/orders", mine)
        for phone in (designer_phone, tailor_phone):
            await phone.aclose()

    run_async(steps)


Answer = tuple[str, str | None, int]  # path, If-None-Match asked with, status


@pytest.fixture
def answers(server: LiveServer) -> Iterator[list[Answer]]:
    """What the server answered, as the phone's requests reached it."""
    seen: list[Answer] = []

    async def record(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            seen.append((scope["path"], header(scope, b"if-none-match"), message["status"]))

    server.app.before_send.append(record)
    yield seen
    server.app.before_send.remove(record)


# The saved copy of /jobs as if it had been saved (and rendered) an hour ago.
AGE_SAVED_COPY = """async ([url, renderedAt]) => {
  const name = (await caches.keys()).find((key) => key.startsWith("pages-"));
  const cache = await caches.open(name);
  const saved = await cache.match(url);
  const html = (await saved.text())
    .replace(/data-rendered-at="[^"]*"/, `data-rendered-at="${renderedAt}"`);
  const headers = new Headers(saved.headers);
  headers.set("Saved-At", String(Date.now() - 3600 * 1000));
  await cache.put(url, new Response(html, { status: 200, headers }));
}"""
SAVED_RENDERED_AT = """async (url) => {
  const name = (await caches.keys()).find((key) => key.startsWith("pages-"));
  const saved = await (await caches.open(name)).match(url);
  return /data-rendered-at="([^"]*)"/.exec(await saved.text())[1];
}"""


def test_the_phone_offers_its_saved_feed_and_shows_it_on_a_304(
    context: BrowserContext,
    page: Page,
    server: LiveServer,
    answers: list[Answer],
    console_errors: ConsoleErrors,
) -> None:
    owner = server.call(designer(business="Batik Kirana"))
    tailor_id = server.call(tailor(km=1.0, radius=20))
    server.call(order(owner, title="Kemeja pertama"))
    token = server.call(start_session(tailor_id, "Mozilla/5.0 (Linux; Android 13)", "passkey"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.goto("/jobs")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    url = f"{server.url}/jobs"
    wait_until_saved(page, url)
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    page.evaluate(AGE_SAVED_COPY, [url, an_hour_ago])
    answers.clear()

    shown = page.goto("/jobs")

    assert shown is not None and shown.from_service_worker
    assert [(path, status) for path, _tag, status in answers if path == "/jobs"] == [("/jobs", 304)]
    assert all(tag for path, tag, _status in answers if path == "/jobs")
    expect(page.get_by_role("heading", name="Kemeja pertama")).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_hidden()  # confirmed current, not an old copy
    confirmed = datetime.fromisoformat(page.evaluate(SAVED_RENDERED_AT, url))
    assert confirmed > datetime.now(UTC) - timedelta(minutes=1)

    # A new order near the tailor: the saved copy no longer matches, the new page comes whole.
    server.call(order(owner, title="Kemeja kedua"))
    answers.clear()
    page.goto("/jobs")
    expect(page.get_by_role("heading", name="Kemeja kedua")).to_be_visible()
    assert [(path, status) for path, _tag, status in answers if path == "/jobs"] == [("/jobs", 200)]
    assert console_errors == []
