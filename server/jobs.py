"""The background work of a process, composed once: the push worker sends the outbox, and
the housekeeping loop runs each domain's chores on a timer: orders whose deadline passed,
unanswered cancellations and due dispatch waves (`server/orders/housekeeping.py`), lapsed
certificates (`server/tailors/housekeeping.py`), old form keys (`server/idempotency`) and
photos nothing uses any more (`server/media/sweep.py`). A `serve` process runs both in its
lifespan unless PUSH_WORKER=0, when it runs neither (and says so at start-up);
`clothingline worker` runs both on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

# Imported for what they register: which logos and reference photos are still in use.
import server.designers.services
import server.orders.posting.editing  # noqa: F401
from server.background import background
from server.clock import now
from server.idempotency.services import forget_old_keys
from server.media.services import MediaStore
from server.media.sweep import STRAY_SWEEP_EVERY, sweep_stray_files, sweep_unused_photos
from server.notifications import worker as push_worker
from server.notifications.vapid import VapidKeys
from server.orders import housekeeping as orders
from server.orders.dispatching.waves import DispatchSettings, WaveResult
from server.settings import Settings
from server.tailors import housekeeping as tailors

logger = logging.getLogger(__name__)

INTERVAL_S = 15.0
NO_BACKGROUND_WORK = (
    "PUSH_WORKER=0: this process sends no pushes and runs no housekeeping (dispatch waves, "
    "order expiries, cancellations that became disputes); run `clothingline worker` beside the "
    "serve processes, or that work stops"
)


def warn_no_background_work() -> None:
    """A serve process that leaves the background work to `clothingline worker` says so."""
    logger.warning(NO_BACKGROUND_WORK)


@dataclass
class Tick:
    waves: list[WaveResult] = field(default_factory=list)
    expired_orders: list[int] = field(default_factory=list)
    expired_certificates: list[int] = field(default_factory=list)
    disputed_orders: list[int] = field(default_factory=list)
    swept_photos: list[int] = field(default_factory=list)
    forgotten_keys: int = 0


async def tick(
    settings: DispatchSettings, at: datetime | None = None, media: MediaStore | None = None
) -> Tick:
    """One round of housekeeping as of `at`: expiries first, so no wave goes out for an order
    past its deadline. With `media`, unused photos go too."""
    moment = at or now()
    done = Tick()
    done.expired_orders = await orders.expire_past_deadline(moment)
    done.expired_certificates = await tailors.lapse_certificates(moment)
    done.disputed_orders = await orders.escalate_cancellations(moment)
    done.forgotten_keys = await forget_old_keys(moment)
    done.waves = await orders.send_due_waves(settings, moment)
    if media is not None:
        done.swept_photos = await sweep_unused_photos(media, moment)
    return done


async def run_forever(
    settings: DispatchSettings,
    stop: asyncio.Event,
    interval: float = INTERVAL_S,
    media: MediaStore | None = None,
) -> None:
    """Tick every `interval` seconds until `stop` is set; a failed tick is logged and retried.
    Stray photo files are looked for at start and every STRAY_SWEEP_EVERY after."""
    next_stray_sweep = now()
    while not stop.is_set():
        try:
            done = await tick(settings, media=media)
            if media is not None and now() >= next_stray_sweep:
                next_stray_sweep = now() + STRAY_SWEEP_EVERY
                if strays := await sweep_stray_files(media, now()):
                    logger.info("%d photo files without a photo removed", strays)
            if done.waves or done.expired_orders or done.expired_certificates:
                logger.info(
                    "housekeeping: %d waves, %d orders expired, %d certificates lapsed",
                    len(done.waves),
                    len(done.expired_orders),
                    len(done.expired_certificates),
                )
            if done.swept_photos:
                logger.info("%d unused photos removed", len(done.swept_photos))
            if done.disputed_orders:
                logger.info(
                    "%d unanswered cancellations became disputes", len(done.disputed_orders)
                )
        except Exception:
            logger.exception("housekeeping: tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


@contextlib.asynccontextmanager
async def housekeeping(
    settings: DispatchSettings, interval: float = INTERVAL_S, media: MediaStore | None = None
) -> AsyncIterator[asyncio.Task[None]]:
    """The housekeeping loop as a background task of the current event loop."""
    async with background(
        lambda stop: run_forever(settings, stop, interval, media),
        name="housekeeping",
        cut_short="housekeeping stopped mid-tick",
    ) as task:
        yield task


@contextlib.asynccontextmanager
async def background_jobs(
    settings: Settings, *, keys: VapidKeys, icon: str, media: MediaStore
) -> AsyncIterator[None]:
    """Every background loop, started in this order and stopped in the reverse one."""
    async with (
        push_worker.running(keys, icon, allow_local_endpoints=settings.push_allow_local_endpoints),
        housekeeping(DispatchSettings.from_settings(settings), media=media),
    ):
        yield
