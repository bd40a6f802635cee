"""Loops that run beside the web app (the push worker, order housekeeping) as tasks of its
event loop: started on entry, asked to stop on exit and given a grace period to finish."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

logger = logging.getLogger(__name__)

STOP_GRACE_S = 15.0


@contextlib.asynccontextmanager
async def background(
    loop: Callable[[asyncio.Event], Coroutine[Any, Any, None]], *, name: str, cut_short: str
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `loop(stop)` as a task until the block ends; `cut_short` is logged if it has not
    finished STOP_GRACE_S seconds after being asked to stop."""
    stop = asyncio.Event()
    task = asyncio.create_task(loop(stop), name=name)
    try:
        yield task
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, STOP_GRACE_S)
        except TimeoutError:
            logger.warning(cut_short)
