"""Why nobody has answered yet: the dispatch waves of one order, summed up or in full."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.dispatch.rules import WAVE_RADII_KM
from server.orders.tables import DispatchDecision


@dataclass(frozen=True)
class WaveSummary:
    wave: int
    radius_km: int
    alerted: int
    waiting: int
    excluded: int


@dataclass(frozen=True)
class DispatchReport:
    waves: list[WaveSummary]
    radius_km: int  # how far the order has reached
    last_wave: bool  # no wider wave will follow

    @property
    def alerted(self) -> int:
        return sum(wave.alerted for wave in self.waves)


def radius_of(wave: int) -> int:
    return WAVE_RADII_KM[min(max(wave, 1), len(WAVE_RADII_KM)) - 1]


async def dispatch_report(order: dict[str, Any]) -> DispatchReport:
    counts: dict[int, dict[str, int]] = {}
    for row in await DispatchDecision.select(DispatchDecision.wave, DispatchDecision.outcome).where(
        DispatchDecision.order == order["id"]
    ):
        wave = counts.setdefault(row["wave"], {})
        wave[row["outcome"]] = wave.get(row["outcome"], 0) + 1
    waves = [
        WaveSummary(
            wave=number,
            radius_km=radius_of(number),
            alerted=counts.get(number, {}).get("alerted", 0),
            waiting=counts.get(number, {}).get("waiting", 0),
            excluded=counts.get(number, {}).get("excluded", 0),
        )
        for number in range(1, order["dispatch_wave"] + 1)
    ]
    return DispatchReport(
        waves=waves,
        radius_km=order["dispatch_radius_km"],
        last_wave=order["dispatch_wave"] >= len(WAVE_RADII_KM),
    )


async def dispatch_log(order_id: int) -> dict[int, list[dict[str, Any]]]:
    """Every decision, wave by wave (for admins): who, what, why, how far."""
    rows = await (
        DispatchDecision.select(
            DispatchDecision.wave,
            DispatchDecision.outcome,
            DispatchDecision.reason,
            DispatchDecision.distance_km,
            DispatchDecision.score,
            DispatchDecision.tailor.name,
            DispatchDecision.tailor.public_id,
        )
        .where(DispatchDecision.order == order_id)
        .order_by(DispatchDecision.wave)
        .order_by(DispatchDecision.id)
    )
    log: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        log.setdefault(row["wave"], []).append(row)
    return log
