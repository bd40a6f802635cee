"""Order housekeeping on a timer: the next, wider dispatch wave when nobody answered, orders
whose deadline passed, certificates that lapsed, photos nothing uses any more, form keys old
enough to forget.

It runs beside the push worker: in the app's process, or in `clothingline worker`. Every step
is safe to run from several processes at once (a due wave is claimed by one of them, the
expiries are conditional UPDATEs), and an idle tick only reads, so on SQLite it never takes
the write lock for nothing.
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
import server.orders.designer_services  # noqa: F401
from server.background import background
from server.clock import now
from server.dispatch.services import DispatchSettings, WaveResult, due_waves
from server.idempotency.services import forget_old_keys
from server.media.services import MediaStore
from server.media.sweep import sweep_unused_photos
from server.orders.services import expire_orders
from server.orders.tables import Order, OrderStatus
from server.tailors.services import expire_certificates
from server.tailors.tables import TailorProfile, Verification
from server.tracking.cancellations import ANSWER_WITHIN, escalate_unanswered
from server.tracking.tables import Cancellation, CancellationStatus

logger = logging.getLogger(__name__)

INTERVAL_S = 15.0


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
    today = moment.date()
    done = Tick()
    if await Order.exists().where((Order.status == OrderStatus.OPEN) & (Order.deadline < today)):
        done.expired_orders = await expire_orders(today)
    if await TailorProfile.exists().where(
        (TailorProfile.verification == Verification.VERIFIED)
        & (TailorProfile.certificate_expires_on < today)
    ):
        done.expired_certificates = await expire_certificates(today)
    if await Cancellation.exists().where(
        (Cancellation.status == CancellationStatus.PENDING)
        & (Cancellation.created_at < moment - ANSWER_WITHIN)
    ):
        done.disputed_orders = await escalate_unanswered(moment)
    done.forgotten_keys = await forget_old_keys(moment)
    done.waves = await due_waves(settings, moment)
    if media is not None:
        done.swept_photos = await sweep_unused_photos(media, moment)
    return done


async def run_forever(
    settings: DispatchSettings,
    stop: asyncio.Event,
    interval: float = INTERVAL_S,
    media: MediaStore | None = None,
) -> None:
    """Tick every `interval` seconds until `stop` is set; a failed tick is logged and retried."""
    while not stop.is_set():
        try:
            done = await tick(settings, media=media)
            if done.waves or done.expired_orders or done.expired_certificates:
                logger.info(
                    "dispatch: %d waves, %d orders expired, %d certificates lapsed",
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
            logger.exception("dispatch: housekeeping tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


@contextlib.asynccontextmanager
async def running(
    settings: DispatchSettings, interval: float = INTERVAL_S, media: MediaStore | None = None
) -> AsyncIterator[asyncio.Task[None]]:
    """The housekeeping loop as a background task of the current event loop."""
    async with background(
        lambda stop: run_forever(settings, stop, interval, media),
        name="dispatch-scheduler",
        cut_short="dispatch: housekeeping stopped mid-tick",
    ) as task:
        yield task
