"""What reaches a phone, and when: quiet hours, the hourly cap, and the first real alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import Litestar

from server.accounts.tables import Account, Role
from server.notifications.sender import Sender
from server.notifications.services import notify
from server.notifications.tables import Notification
from server.notifications.worker import run_once
from server.tailors import services as tailors
from server.web import i18n
from tests.builders.people import MET_AT_TRAINING, certificate_of, tailor
from tests.builders.push import (
    YESTERDAY,
    alert,
    deliveries,
    only_delivery,
    person,
    subscribe,
)
from tests.push_receiver import PushReceiver

pytestmark = pytest.mark.usefixtures("clean_database")
TEN_PM_WIB = YESTERDAY.replace(hour=15, minute=0, second=0, microsecond=0)
SIX_AM_WIB = TEN_PM_WIB + timedelta(hours=8)


async def test_quiet_hours_hold_a_normal_alert_until_morning(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify(account_id, "order_update", alert(), at=TEN_PM_WIB)

    assert (await only_delivery())["next_attempt_at"] == SIX_AM_WIB
    assert await run_once(sender, now=TEN_PM_WIB) == 0
    assert await run_once(sender, now=SIX_AM_WIB - timedelta(seconds=1)) == 0
    assert receiver.received == []
    assert await run_once(sender, now=SIX_AM_WIB) == 1
    assert len(receiver.received) == 1


async def test_quiet_hours_follow_the_persons_own_time_zone(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await Account.update({Account.timezone: "Asia/Jayapura"}).where(Account.id == account_id)
    await subscribe(account_id, receiver)
    # 22:00 in Jakarta is already midnight in Papua: quiet until 06:00 WIT, two hours sooner.
    await notify(account_id, "order_update", alert(), at=TEN_PM_WIB)

    assert (await only_delivery())["next_attempt_at"] == SIX_AM_WIB - timedelta(hours=2)


async def test_new_order_alert_is_not_held_by_quiet_hours(
    receiver: PushReceiver, sender: Sender
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify(account_id, "new_order", alert(), at=TEN_PM_WIB)

    assert await run_once(sender, now=TEN_PM_WIB) == 1
    assert receiver.received[0].headers["urgency"] == "high"


async def test_hourly_cap_on_new_order_alerts_holds(receiver: PushReceiver, sender: Sender) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    for minute in range(12):
        await notify(
            account_id, "new_order", alert(), at=TEN_PM_WIB + timedelta(minutes=minute * 5)
        )
    an_hour_later = TEN_PM_WIB + timedelta(minutes=65)
    await notify(account_id, "new_order", alert(), at=an_hour_later)

    while await run_once(sender, now=an_hour_later):
        pass

    assert await Notification.count() == 13  # the in-app list has every one
    assert len(await deliveries()) == 11
    assert len(receiver.received) == 11


async def test_certificate_approval_reaches_the_tailor_in_indonesian(
    app: Litestar, receiver: PushReceiver, sender: Sender
) -> None:
    admin_id = await person("Budi Admin", "0811-2000-0001", role=Role.ADMIN)
    admin_phone = await subscribe(admin_id, receiver)
    tailor_id = await tailor("Siti Rahayu", "0812-3456-7890", certificate=app, **MET_AT_TRAINING)
    await Account.update({Account.locale: "id"}).where(Account.id == tailor_id)
    tailor_phone = await subscribe(tailor_id, receiver)
    certificate = await certificate_of(tailor_id)

    await tailors.decide_certificate(certificate["public_id"], admin_id, True, "")
    while await run_once(sender, now=SIX_AM_WIB + timedelta(days=2)):
        pass

    with i18n.using_locale("id"):
        title = i18n.gettext("Your SKKNI certificate is verified")
        body = i18n.gettext('Switch on "Ready for orders" to get nearby orders.')
    assert title != "Your SKKNI certificate is verified", "no Indonesian translation"
    [push] = receiver.to(tailor_phone.endpoint)
    payload = push.payload()
    assert (payload["title"], payload["body"]) == (title, body)
    assert (payload["url"], payload["tag"]) == ("/home", "certificate")
    # The admin had been told when the certificate was submitted.
    [waiting] = receiver.to(admin_phone.endpoint)
    assert waiting.payload()["url"] == f"/admin/verifications/{certificate['public_id']}"
