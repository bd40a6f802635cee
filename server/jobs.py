"""The background work of a process, composed once: the push worker sends the outbox, and
order housekeeping (server/dispatch/scheduler.py) sends due dispatch waves and expires orders,
certificates, unanswered cancellations, unused photos and old form keys. The web app runs them
in its lifespan (unless PUSH_WORKER=0); `clothingline worker` runs them on their own."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from server.dispatch import scheduler as dispatch_scheduler
from server.dispatch.services import DispatchSettings
from server.media.services import MediaStore
from server.notifications import worker as push_worker
from server.notifications.vapid import VapidKeys
from server.settings import Settings


@contextlib.asynccontextmanager
async def background_jobs(
    settings: Settings, *, keys: VapidKeys, icon: str, media: MediaStore
) -> AsyncIterator[None]:
    """Every background loop, started in this order and stopped in the reverse one."""
    async with (
        push_worker.running(keys, icon, allow_local_endpoints=settings.push_allow_local_endpoints),
        dispatch_scheduler.running(DispatchSettings.from_settings(settings), media=media),
    ):
        yield
