"""Every kind of alert has its push settings, and they agree with the kind's own."""

from __future__ import annotations

from server.notifications.kinds import KINDS, AlertKind
from server.notifications.sender import PUSH_KINDS, UNKNOWN_KIND, push_kind


def test_every_kind_has_a_time_to_live_and_an_urgency() -> None:
    assert set(PUSH_KINDS) == set(AlertKind) == set(KINDS)
    assert all(settings.ttl > 0 for settings in PUSH_KINDS.values())


def test_a_kind_that_ignores_quiet_hours_is_pushed_urgently() -> None:
    for kind, settings in PUSH_KINDS.items():
        assert (settings.urgency == "high") == (not KINDS[kind].waits_for_quiet_hours), kind


def test_a_kind_this_release_does_not_know_gets_the_default() -> None:
    assert push_kind("fitting") == UNKNOWN_KIND
    assert push_kind("new_order") == PUSH_KINDS[AlertKind.NEW_ORDER]
