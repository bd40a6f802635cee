"""Ojek-style dispatch: alert the best nearby eligible tailors in waves, widening the radius
when nobody answers, and write down every decision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from server.clock import now
from server.db import transaction
from server.dispatch.cells import cells_within
from server.dispatch.eligibility import order_facts
from server.dispatch.rules import (
    WAVE_RADII_KM,
    Candidate,
    distance_km,
    exclusion,
    rank,
)
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.dispatching.candidates import candidates_where
from server.orders.tables import DispatchDecision, Offer, OfferStatus, Order, OrderStatus
from server.settings import Settings
from server.tailors.tables import TailorProfile
from server.web import i18n
from server.web.i18n import gettext as _


@dataclass(frozen=True)
class DispatchSettings:
    wave_size: int = 50
    wave_interval: timedelta = timedelta(minutes=10)

    @classmethod
    def from_settings(cls, settings: Settings) -> DispatchSettings:
        return cls(
            wave_size=settings.dispatch_wave_size,
            wave_interval=timedelta(minutes=settings.dispatch_wave_minutes),
        )


@dataclass(frozen=True)
class WaveResult:
    wave: int
    radius_km: int
    alerted: list[int]
    waiting: int
    excluded: int


async def candidates_near(cell: str, radius_km: float, today: date) -> list[Candidate]:
    """Every tailor whose cell is near: the indexed lookup; exact distance comes later."""
    return await candidates_where(TailorProfile.h3_cell.is_in(cells_within(cell, radius_km)), today)


def new_order_alert(order: dict[str, Any], distance: float) -> Callable[[], Alert]:
    def alert() -> Alert:
        total = order["quantity"] * order["budget_per_piece"]
        return order_alert(
            order["public_id"],
            _("New order near you: %(title)s", title=order["title"]),
            _(
                "%(quantity)s pcs · %(price)s/pcs · Total %(total)s · %(distance)s km",
                quantity=i18n.number(order["quantity"]),
                price=i18n.rupiah(order["budget_per_piece"]),
                total=i18n.rupiah(total),
                distance=i18n.number(distance, 1),
            ),
        )

    return alert


async def dispatch_next_wave(
    order_id: int,
    settings: DispatchSettings | None = None,
    at: datetime | None = None,
    *,
    due_by: datetime | None = None,
) -> WaveResult | None:
    """Alert the next wave for an open order; None when the order no longer needs one.

    With `due_by` (the worker's call) only a wave due by then goes out, and only once however
    many workers try at the same moment."""
    settings = settings or DispatchSettings()
    moment = at or now()
    async with transaction():
        if due_by is not None and not await claim_due_wave(order_id, due_by):
            return None
        order = await Order.select().where(Order.id == order_id).first()
        if order is None or order["status"] != OrderStatus.OPEN:
            return None
        wave = order["dispatch_wave"] + 1
        if wave > len(WAVE_RADII_KM):
            await Order.update({Order.next_wave_at: None}).where(Order.id == order_id)
            return None
        radius = WAVE_RADII_KM[wave - 1]
        today = moment.date()
        facts = order_facts(order, today)
        already = {
            row["tailor"]
            for row in await DispatchDecision.select(DispatchDecision.tailor).where(
                (DispatchDecision.order == order_id) & (DispatchDecision.outcome == "alerted")
            )
        }
        candidates = [
            candidate
            for candidate in await candidates_near(order["h3_cell"], radius, today)
            if candidate.account_id not in already and candidate.account_id != order["designer"]
        ]
        eligible: list[Candidate] = []
        decisions: list[DispatchDecision] = []
        for candidate in candidates:
            reason = exclusion(candidate, facts, radius)
            if reason is None:
                eligible.append(candidate)
            else:
                decisions.append(
                    DispatchDecision(
                        order=order_id,
                        tailor=candidate.account_id,
                        wave=wave,
                        outcome="excluded",
                        reason=reason,
                        distance_km=round(distance_km(candidate, facts), 2),
                    )
                )
        ranked = rank(eligible, facts, radius)
        alerted = ranked[: settings.wave_size]
        for position, (candidate, value) in enumerate(ranked):
            chosen = position < settings.wave_size
            decisions.append(
                DispatchDecision(
                    order=order_id,
                    tailor=candidate.account_id,
                    wave=wave,
                    outcome="alerted" if chosen else "waiting",
                    reason="ranked" if chosen else "wave_full",
                    distance_km=round(distance_km(candidate, facts), 2),
                    score=value,
                )
            )
        if decisions:
            await DispatchDecision.insert(*decisions)
        for candidate, _value in alerted:
            await notify(
                candidate.account_id,
                AlertKind.NEW_ORDER,
                new_order_alert(order, distance_km(candidate, facts)),
                at=moment,
            )
        last_wave = wave == len(WAVE_RADII_KM)
        await Order.update(
            {
                Order.dispatch_wave: wave,
                Order.dispatch_radius_km: radius,
                Order.next_wave_at: None if last_wave else moment + settings.wave_interval,
            }
        ).where(Order.id == order_id)
    return WaveResult(
        wave=wave,
        radius_km=radius,
        alerted=[candidate.account_id for candidate, _value in alerted],
        waiting=len(ranked) - len(alerted),
        excluded=sum(1 for decision in decisions if decision.outcome == "excluded"),
    )


async def due_waves(
    settings: DispatchSettings | None = None, at: datetime | None = None
) -> list[WaveResult]:
    """Orders nobody answered in time get their next, wider wave (run by the worker)."""
    moment = at or now()
    due = await Order.select(Order.id).where(
        (Order.status == OrderStatus.OPEN)
        & Order.next_wave_at.is_not_null()
        & (Order.next_wave_at <= moment)
    )
    results = []
    for row in due:
        answered = await Offer.exists().where(
            (Offer.order == row["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        if answered:
            await Order.update({Order.next_wave_at: None}).where(Order.id == row["id"])
            continue
        result = await dispatch_next_wave(row["id"], settings, moment, due_by=moment)
        if result is not None:
            results.append(result)
    return results


async def resume_waves(order_id: int, at: datetime | None = None) -> None:
    """An open order whose last live offer went (withdrawn or declined) widens again at the
    next tick, as if nobody had answered: a live offer paused its waves, it must not end them."""
    if await Offer.exists().where((Offer.order == order_id) & (Offer.status == OfferStatus.LIVE)):
        return
    await Order.update({Order.next_wave_at: at or now()}).where(
        (Order.id == order_id)
        & (Order.status == OrderStatus.OPEN)
        & Order.next_wave_at.is_null()
        & (Order.dispatch_wave >= 1)
        & (Order.dispatch_wave < len(WAVE_RADII_KM))
    )


async def claim_due_wave(order_id: int, due_by: datetime) -> bool:
    """The first transaction to clear `next_wave_at` sends the wave; on PostgreSQL a rival
    waits on the row lock, then finds nothing due. The wave sets the next time itself."""
    rows = await (
        Order.update({Order.next_wave_at: None})
        .where(
            (Order.id == order_id)
            & (Order.status == OrderStatus.OPEN)
            & (Order.next_wave_at <= due_by)
        )
        .returning(Order.id)
    )
    return bool(rows)
