"""What each answer of a push service means: sent, retry (when), forget the device, give up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from server.notifications.outbox import BACKOFF_CAP_S, Outcome, backoff
from server.notifications.sender import RETRY_AFTER_CAP_S, classify, parse_retry_after

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", [200, 201, 202])
def test_success_is_sent(status: int) -> None:
    assert classify(status, None, 1, NOW).outcome is Outcome.SENT


@pytest.mark.parametrize("status", [404, 410])
def test_unknown_or_expired_subscription_is_gone(status: int) -> None:
    result = classify(status, None, 1, NOW)

    assert result.outcome is Outcome.GONE
    assert str(status) in result.error


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_other_client_errors_are_dead_at_once(status: int) -> None:
    result = classify(status, None, 1, NOW, error=f"Push failed: {status}")

    assert result.outcome is Outcome.DEAD
    assert result.error == f"Push failed: {status}"


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_throttling_and_server_errors_are_retried(status: int) -> None:
    result = classify(status, None, 1, NOW)

    assert result.outcome is Outcome.RETRY
    assert 60 <= result.delay <= 90


def test_retry_after_seconds_is_honoured() -> None:
    result = classify(429, "120", 1, NOW)

    assert (result.outcome, result.delay) == (Outcome.RETRY, 120)


def test_retry_after_http_date_is_honoured() -> None:
    result = classify(503, format_datetime(NOW + timedelta(minutes=5), usegmt=True), 2, NOW)

    assert (result.outcome, result.delay) == (Outcome.RETRY, 300)


def test_last_attempt_gives_up_and_keeps_the_error() -> None:
    result = classify(500, None, 5, NOW, error="Push failed: 500 Internal Server Error")

    assert result.outcome is Outcome.DEAD
    assert result.error.startswith("Push failed: 500 Internal Server Error")
    assert "5 attempts" in result.error


def test_attempt_limit_can_be_set() -> None:
    assert classify(500, None, 2, NOW, max_attempts=2).outcome is Outcome.DEAD
    assert classify(500, None, 2, NOW, max_attempts=3).outcome is Outcome.RETRY


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    for attempts, base in [(1, 60), (2, 120), (3, 240), (4, 480)]:
        delays = [backoff(attempts) for _ in range(50)]
        assert all(base <= delay <= base * 1.5 for delay in delays)
        assert len(set(delays)) > 1
    assert backoff(30) <= BACKOFF_CAP_S * 1.5


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0),
        ("30", 30),
        (" 7 ", 7),
        ("Sat, 28 Nov 2026 04:01:00 GMT", 60),
        ("Sat, 28 Nov 2026 03:00:00 GMT", 0),  # already past
        ("99999999", RETRY_AFTER_CAP_S),
    ],
)
def test_retry_after_parses_seconds_and_dates(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Sat, 99 Foo 2026", "²", "٣٠"])
def test_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None
