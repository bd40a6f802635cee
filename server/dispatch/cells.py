"""Which H3 cells (resolution 6) can hold a point within some distance: the indexed half of
every nearby search, before the exact haversine distance."""

from __future__ import annotations

import math
from functools import lru_cache

import h3

from server.regions import haversine_km

RESOLUTION = 6
# Measured over Indonesia, with a margin (tests/unit/dispatch/test_dispatch_cells.py): neighbouring
# centres lie at least 5.5 km apart, and no point of a cell lies more than 4.2 km from its centre.
MIN_CELL_SPACING_KM = 5.5
MAX_CELL_RADIUS_KM = 4.2
# Ring k of a hexagonal grid is a hexagon whose nearest centres lie k·spacing·√3/2 away.
MIN_RING_STEP_KM = MIN_CELL_SPACING_KM * math.sqrt(3) / 2


def rings_for(radius_km: float) -> int:
    """Rings around a point's own cell that hold every point within `radius_km` of it: the
    next ring's centres are too far for any of their points to be that near."""
    return math.floor((radius_km + 2 * MAX_CELL_RADIUS_KM) / MIN_RING_STEP_KM)


def cells_within(cell: str, radius_km: float) -> list[str]:
    """Every cell with a point within `radius_km` of any point of `cell`, and some beyond."""
    return list(h3.grid_disk(cell, rings_for(radius_km)))


def cells_covering(latitude: float, longitude: float, radius_km: float) -> list[str]:
    """The cells with a point within `radius_km` of this one: only those whose centre is near
    enough, so a small radius looks in a handful of cells rather than a wide disk."""
    reach = radius_km + MAX_CELL_RADIUS_KM
    return [
        cell
        for cell, (cell_latitude, cell_longitude) in disk_centres(
            str(h3.latlng_to_cell(latitude, longitude, RESOLUTION)), rings_for(radius_km)
        )
        if haversine_km(latitude, longitude, cell_latitude, cell_longitude) <= reach
    ]


@lru_cache(maxsize=4096)
def disk_centres(cell: str, rings: int) -> tuple[tuple[str, tuple[float, float]], ...]:
    return tuple((found, h3.cell_to_latlng(found)) for found in h3.grid_disk(cell, rings))
