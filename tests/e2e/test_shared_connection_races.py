"""Pages and forms at once over real HTTP, each request on its one database connection: pages
that write (a session's daily touch, a notification opened) beside forms that write, and
nobody gets an error."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx

from server.auth.sessions import TOUCH_AFTER
from server.auth.tables import Session
from server.clock import now
from server.notifications.tables import Notification
from tests.builders.people import tailor
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.races import no_server_errors, on_server, signed_in

TAILORS = 8
ROUNDS = 3


async def alerted_tailors() -> list[int]:
    return [await tailor(km=1.0 + n / 10, name=f"Penjahit {n}") for n in range(TAILORS)]


async def new_notifications(accounts: list[int]) -> list[str]:
    rows = await Notification.insert(
        *(
            Notification(account=account, kind="test", title="Ada pesanan baru", url="/jobs")
            for account in accounts
            for _ in range(2)
        )
    ).returning(Notification.public_id)
    return [str(row["public_id"]) for row in rows]


async def last_seen_yesterday() -> None:
    await Session.update(
        {Session.last_seen_at: now() - TOUCH_AFTER - timedelta(hours=1)}, force=True
    )


async def unread() -> int:
    return int(await Notification.count().where(Notification.read_at.is_null()))


async def stale_sessions() -> int:
    return int(await Session.count().where(Session.last_seen_at < now() - TOUCH_AFTER))


def test_pages_and_forms_that_write_at_once_all_succeed(server: LiveServer) -> None:
    accounts = server.call(alerted_tailors())

    async def rounds() -> None:
        phones = [await signed_in(server, account) for account in accounts for _phone in (1, 2)]
        for _round in range(ROUNDS):
            opened = await on_server(server, new_notifications(accounts))
            await on_server(server, last_seen_yesterday())
            gate = asyncio.Event()

            async def send(
                phone: httpx.AsyncClient, method: str, url: str, gate: asyncio.Event = gate
            ) -> httpx.Response:
                await gate.wait()
                if method == "POST":
                    form = {"_csrf_token": phone.cookies["csrftoken"]}
                    return await phone.post(url, data=form)
                return await phone.get(url)

            requests = [
                *(send(phone, "GET", "/jobs") for phone in phones),
                *(send(phone, "GET", "/home") for phone in phones),
                # Each tailor's first notification opened from one phone (a page that writes),
                # all marked read from the other (a form).
                *(
                    send(phones[2 * n], "GET", f"/notifications/{opened[2 * n]}")
                    for n in range(TAILORS)
                ),
                *(
                    send(phones[2 * n + 1], "POST", "/notifications/mark-all-read")
                    for n in range(TAILORS)
                ),
            ]
            tasks = [asyncio.create_task(request) for request in requests]
            await asyncio.sleep(0)
            gate.set()
            responses = await asyncio.gather(*tasks)

            no_server_errors(responses)
            assert Counter(r.status_code for r in responses) == {200: 4 * TAILORS, 303: 2 * TAILORS}
            assert await on_server(server, unread()) == 0
            assert await on_server(server, stale_sessions()) == 0
        for phone in phones:
            await phone.aclose()

    run_async(rounds)
