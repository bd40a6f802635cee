"""Fixtures of the push tests: a local push service, VAPID keys and a sender."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from server.notifications.sender import Sender
from server.notifications.vapid import VapidKeys, load_vapid_keys
from tests.builders.push import SUBJECT, sender_for
from tests.push_receiver import PushReceiver
from tests.query_count import Tally, counting


@pytest.fixture
def receiver() -> Iterator[PushReceiver]:
    with PushReceiver() as receiver:
        yield receiver


@pytest.fixture
def vapid_keys(tmp_path: Path) -> VapidKeys:
    return load_vapid_keys(tmp_path / "vapid", None, SUBJECT)


@pytest.fixture
async def sender(vapid_keys: VapidKeys) -> AsyncIterator[Sender]:
    async with sender_for(vapid_keys, allow_local=True) as sender:  # the local receiver
        yield sender


@pytest.fixture
def count_queries() -> Callable[[], AbstractContextManager[Tally]]:
    """`with count_queries() as used: await client.get(...)`: the statements and database
    connections that took (tests.query_count)."""
    return counting
