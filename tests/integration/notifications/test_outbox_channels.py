"""The outbox beside push: a second channel (here a recording stand-in for SMS) gets its
deliveries from notify(), and the same worker claims, retries, backs off and dead-letters them
as it does pushes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from server.notifications import services
from server.notifications.outbox import Outcome, Outgoing, Result
from server.notifications.sender import Sender
from server.notifications.tables import Channel, Delivery
from server.notifications.worker import claim_due, reclaim_stuck, run_once
from tests.builders.push import deliveries, notify_one, person, subscribe
from tests.push_receiver import PushReceiver

pytestmark = pytest.mark.usefixtures("clean_database")
LATER = timedelta(hours=2)  # past any backoff of the first attempts


@dataclass
class RecordingChannel:
    """A channel that records what the worker gives it and answers as told (then: sent)."""

    channel: str = "sms"
    max_attempts: int = 3
    answers: list[Result] = field(default_factory=list)
    reachable: bool = True  # False: every address went between the claim and the send
    sent: list[Outgoing] = field(default_factory=list)
    settled: list[tuple[Outgoing, Result]] = field(default_factory=list)

    async def prepare(self, deliveries: Sequence[Outgoing]) -> Mapping[int, Outgoing]:
        return {delivery.id: delivery for delivery in deliveries if self.reachable}

    async def send(self, message: Outgoing, now: datetime) -> Result:
        self.sent.append(message)
        return self.answers.pop(0) if self.answers else Result(Outcome.SENT)

    async def settle(self, results: Sequence[tuple[Outgoing, Result]], now: datetime) -> None:
        self.settled += results


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> RecordingChannel:
    """The second channel, with one address for everyone notified."""
    channel = RecordingChannel()

    async def phone_of(account_id: int) -> list[Delivery]:
        return [Delivery(channel=channel.channel)]

    monkeypatch.setattr(services, "RECIPIENTS", (*services.RECIPIENTS, phone_of))
    return channel


async def only_text() -> dict[str, object]:
    [row] = [row for row in await deliveries() if row["channel"] == "sms"]
    return row


async def test_a_second_channel_is_sent_by_the_same_worker_as_push(
    receiver: PushReceiver, sender: Sender, texts: RecordingChannel
) -> None:
    account_id = await person()
    device = await subscribe(account_id, receiver)
    await notify_one(account_id, title="Tahap produksi", body="Pola sudah dipotong", tag="order-42")
    queued = await deliveries()
    assert [(row["channel"], row["status"]) for row in queued] == [
        (Channel.PUSH, "pending"),
        ("sms", "pending"),
    ]
    assert queued[1]["push_subscription"] is None

    assert await run_once(sender, texts) == 2

    assert [push.endpoint for push in receiver.received] == [device.endpoint]
    assert receiver.received[0].payload()["title"] == "Tahap produksi"
    text = Outgoing(
        id=queued[1]["id"],
        channel="sms",
        attempts=1,
        account_id=account_id,
        kind="order_update",
        title="Tahap produksi",
        body="Pola sudah dipotong",
        url="/orders/42",
        tag="order-42",
        push_subscription_id=None,
    )
    assert texts.sent == [text]
    assert texts.settled == [(text, Result(Outcome.SENT))]
    assert [(row["status"], row["attempts"]) for row in await deliveries()] == [("sent", 1)] * 2
    assert await run_once(sender, texts) == 0


async def test_a_worker_claims_only_the_channels_it_sends(
    receiver: PushReceiver, sender: Sender, texts: RecordingChannel
) -> None:
    account_id = await person()
    await subscribe(account_id, receiver)
    await notify_one(account_id)

    assert await run_once(sender) == 1
    assert len(receiver.received) == 1
    text = await only_text()
    assert (text["status"], text["attempts"]) == ("pending", 0)
    assert await claim_due(10) == []  # pushes only, by default: none left
    assert [delivery.channel for delivery in await claim_due(10, channels=["sms"])] == ["sms"]


async def test_a_failed_text_backs_off_as_a_push_does_then_is_sent(
    texts: RecordingChannel,
) -> None:
    await notify_one(await person())
    texts.answers = [Result(Outcome.RETRY, "HTTP 500")]
    now = datetime.now(UTC)

    assert await run_once(texts, now=now) == 1

    text = await only_text()
    assert (text["status"], text["attempts"], text["last_error"]) == ("pending", 1, "HTTP 500")
    wait = text["next_attempt_at"] - now
    assert timedelta(seconds=60) <= wait <= timedelta(seconds=90)
    assert await run_once(texts, now=now + timedelta(seconds=59)) == 0
    assert await run_once(texts, now=now + LATER) == 1
    text = await only_text()
    assert (text["status"], text["attempts"], text["last_error"]) == ("sent", 2, "")


async def test_the_wait_a_channel_asks_for_is_kept(texts: RecordingChannel) -> None:
    await notify_one(await person())
    texts.answers = [Result(Outcome.RETRY, "HTTP 429", delay=600)]
    now = datetime.now(UTC)

    await run_once(texts, now=now)

    assert (await only_text())["next_attempt_at"] == now + timedelta(seconds=600)
    assert await run_once(texts, now=now + timedelta(seconds=599)) == 0
    assert await run_once(texts, now=now + timedelta(seconds=600)) == 1


async def test_a_text_failing_every_attempt_is_dead_lettered_with_the_last_error(
    texts: RecordingChannel,
) -> None:
    await notify_one(await person())
    texts.answers = [Result(Outcome.RETRY, f"HTTP {status}") for status in (500, 502, 503)]
    now = datetime.now(UTC)

    for attempt in range(3):  # the channel's max_attempts
        assert await run_once(texts, now=now + attempt * LATER) == 1

    text = await only_text()
    assert (text["status"], text["attempts"]) == ("dead", 3)
    assert text["last_error"] == "HTTP 503 (gave up after 3 attempts)"
    assert await run_once(texts, now=now + 10 * LATER) == 0
    assert len(texts.sent) == 3


async def test_a_text_refused_for_good_is_dead_at_once(texts: RecordingChannel) -> None:
    await notify_one(await person())
    texts.answers = [Result(Outcome.DEAD, "not a mobile number")]

    await run_once(texts)

    text = await only_text()
    assert (text["status"], text["last_error"]) == ("dead", "not a mobile number")
    assert await run_once(texts, now=datetime.now(UTC) + LATER) == 0
    assert texts.settled == [(texts.sent[0], Result(Outcome.DEAD, "not a mobile number"))]


async def test_a_text_whose_address_went_is_dead_lettered_unsent(
    texts: RecordingChannel,
) -> None:
    await notify_one(await person())
    texts.reachable = False

    assert await run_once(texts) == 1

    text = await only_text()
    assert (text["status"], text["last_error"]) == ("dead", "its address is gone")
    assert texts.sent == texts.settled == []


async def test_a_text_claimed_by_a_crashed_worker_is_reclaimed(texts: RecordingChannel) -> None:
    await notify_one(await person())
    [claimed] = await claim_due(10, channels=[texts.channel])
    assert claimed.channel == "sms"

    assert await run_once(texts) == 0  # it is the crashed worker's...
    await reclaim_stuck(timedelta(0), now=datetime.now(UTC) + timedelta(seconds=1))
    assert await run_once(texts) == 1  # ...until it is reclaimed

    assert (await only_text())["status"] == "sent"
    assert [text.attempts for text in texts.sent] == [2]


async def test_the_worker_takes_one_sender_per_channel(
    sender: Sender, texts: RecordingChannel
) -> None:
    with pytest.raises(ValueError, match="one sender per channel"):
        await run_once(sender, sender)
    with pytest.raises(ValueError, match="one sender per channel"):
        await run_once()
