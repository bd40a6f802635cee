"""A new person's first requests arriving together, over real HTTP to uvicorn: one tailor or
designer profile, one row of alert settings, one push subscription, and never a 500."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from server.accounts.tables import Role
from server.designers.tables import DesignerProfile
from server.notifications.tables import NotificationPreference, PushSubscription
from server.tailors.tables import TailorProfile
from tests.builders.people import account
from tests.e2e.conftest import LiveServer
from tests.e2e.test_idempotent_races import COPIES, Send, raced

ROUNDS = 6
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"


def first_uses(
    server: LiveServer, role: str, send: Send, table: type[Any], status: int = 200
) -> None:
    """A new person's first requests at once, several rounds (a race is not won every time):
    every answer as it should be, and one row for them in `table`."""
    for round_number in range(ROUNDS):
        newcomer = server.call(account(role, f"Orang Baru {round_number}"))

        responses = raced(server, newcomer, send)

        assert Counter(r.status_code for r in responses) == {status: COPIES}
        assert server.call(table.count().where(table.account == newcomer).run()) == 1


def test_a_new_tailors_first_pages_at_once_make_one_profile(server: LiveServer) -> None:
    first_uses(
        server, Role.TAILOR, lambda client: client.get("/onboarding/location"), TailorProfile
    )


def test_a_new_designers_first_pages_at_once_make_one_profile(server: LiveServer) -> None:
    first_uses(
        server, Role.DESIGNER, lambda client: client.get("/business-profile"), DesignerProfile
    )


def test_first_alert_settings_saved_at_once_make_one_row(server: LiveServer) -> None:
    async def save(client: httpx.AsyncClient) -> httpx.Response:
        fields = {"kinds": ["offer", "message"], "quiet_start": "21:00", "quiet_end": "06:00"}
        return await client.post(
            "/account/notifications", data={**fields, "_csrf_token": client.cookies["csrftoken"]}
        )

    first_uses(server, Role.DESIGNER, save, NotificationPreference, status=303)
    saved = server.call(NotificationPreference.select().first().run())
    assert (saved["quiet_start"], saved["quiet_end"]) == ("21:00", "06:00")


def test_one_browser_subscribing_several_times_at_once_makes_one_subscription(
    server: LiveServer,
) -> None:
    async def subscribe(client: httpx.AsyncClient) -> httpx.Response:
        body = {
            "endpoint": f"https://fcm.googleapis.com/fcm/send/{client.cookies['csrftoken'][:12]}",
            "keys": {"p256dh": P256DH, "auth": "tBHItJI5svbpez7KI4CCXg"},
        }
        headers = {"x-csrftoken": client.cookies["csrftoken"]}
        return await client.post("/push/subscriptions", json=body, headers=headers)

    first_uses(server, Role.TAILOR, subscribe, PushSubscription, status=201)
