"""The order domain's share of housekeeping (composed in `server/jobs.py`): open orders whose
deadline passed, cancellation requests left unanswered, and the next, wider dispatch wave when
nobody answered.

Every chore is safe to run from several processes at once (a due wave is claimed by one of
them, the expiries are conditional UPDATEs), and an idle one only reads, so on SQLite it never
takes the write lock for nothing."""

from __future__ import annotations

from datetime import datetime

from server.orders.cancellations.services import ANSWER_WITHIN, escalate_unanswered
from server.orders.dispatching.waves import DispatchSettings, WaveResult, due_waves
from server.orders.posting.services import expire_orders
from server.orders.tables import Cancellation, CancellationStatus, Order, OrderStatus


async def expire_past_deadline(moment: datetime) -> list[int]:
    """Open orders whose deadline is before `moment`'s day; nobody can answer them any more."""
    today = moment.date()
    if not await Order.exists().where(
        (Order.status == OrderStatus.OPEN) & (Order.deadline < today)
    ):
        return []
    return await expire_orders(today)


async def escalate_cancellations(moment: datetime) -> list[int]:
    """Cancellation requests unanswered for ANSWER_WITHIN become disputes an admin decides."""
    if not await Cancellation.exists().where(
        (Cancellation.status == CancellationStatus.PENDING)
        & (Cancellation.created_at < moment - ANSWER_WITHIN)
    ):
        return []
    return await escalate_unanswered(moment)


async def send_due_waves(settings: DispatchSettings, moment: datetime) -> list[WaveResult]:
    """The next dispatch wave of every order whose current wave went unanswered."""
    return await due_waves(settings, moment)
