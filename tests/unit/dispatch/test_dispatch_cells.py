"""The cell lookup behind nearby search never misses a point within the radius."""

from __future__ import annotations

import math
import random

import h3
import pytest

from server.dispatch.cells import (
    MAX_CELL_RADIUS_KM,
    MIN_CELL_SPACING_KM,
    RESOLUTION,
    cells_covering,
    cells_within,
    rings_for,
)
from server.regions import haversine_km
from server.tailors.services import H3_RESOLUTION

INDONESIA = ((-11.0, 6.0), (95.0, 141.0))
JAVA = ((-8.6, -5.9), (105.2, 114.6))


def random_point(rng: random.Random, box: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    (south, north), (west, east) = box
    return rng.uniform(south, north), rng.uniform(west, east)


def point_at(latitude: float, longitude: float, km: float, bearing: float) -> tuple[float, float]:
    """Roughly `km` away; the tests measure the real distance with haversine."""
    return (
        latitude + km / 111.195 * math.cos(bearing),
        longitude + km / 111.195 * math.sin(bearing) / math.cos(math.radians(latitude)),
    )


def test_resolution_is_the_one_profiles_and_orders_are_stored_at() -> None:
    assert RESOLUTION == H3_RESOLUTION


def test_cell_size_bounds_hold_all_over_indonesia() -> None:
    rng = random.Random(6)
    for _ in range(2000):
        cell = h3.latlng_to_cell(*random_point(rng, INDONESIA), RESOLUTION)
        centre = h3.cell_to_latlng(cell)
        corners = h3.cell_to_boundary(cell)
        assert max(haversine_km(*centre, *corner) for corner in corners) <= MAX_CELL_RADIUS_KM
        for neighbour in h3.grid_ring(cell, 1):
            spacing = haversine_km(*centre, *h3.cell_to_latlng(neighbour))
            assert spacing >= MIN_CELL_SPACING_KM


@pytest.mark.parametrize("radius_km", [1, 5, 10, 15, 20, 30, 35, 50])
def test_no_point_within_the_radius_is_missed(radius_km: int) -> None:
    rng = random.Random(radius_km)
    for _ in range(150):
        latitude, longitude = random_point(rng, JAVA)
        origin = h3.latlng_to_cell(latitude, longitude, RESOLUTION)
        covering = set(cells_covering(latitude, longitude, radius_km))
        within = set(cells_within(origin, radius_km))
        assert covering <= within
        for _point in range(40):
            # Most of them near the edge, where a lookup too narrow would miss.
            km = radius_km * math.sqrt(rng.uniform(0.7, 1.0))
            point = point_at(latitude, longitude, km, rng.uniform(0, 2 * math.pi))
            if haversine_km(latitude, longitude, *point) > radius_km:
                continue
            cell = h3.latlng_to_cell(*point, RESOLUTION)
            assert cell in covering
            assert cell in within


def edge_points(cell: str, per_edge: int = 6) -> list[tuple[float, float]]:
    corners = h3.cell_to_boundary(cell)
    return [
        (a[0] + (b[0] - a[0]) * step / per_edge, a[1] + (b[1] - a[1]) * step / per_edge)
        for a, b in zip(corners, corners[1:] + corners[:1], strict=True)
        for step in range(per_edge)
    ]


@pytest.mark.parametrize("radius_km", [5, 10, 20, 35, 50])
def test_cells_left_out_are_wholly_beyond_the_radius(radius_km: int) -> None:
    rng = random.Random(100 + radius_km)
    for _ in range(25):
        latitude, longitude = random_point(rng, JAVA)
        origin = h3.latlng_to_cell(latitude, longitude, RESOLUTION)
        covering = set(cells_covering(latitude, longitude, radius_km))
        next_ring = set(h3.grid_ring(origin, rings_for(radius_km) + 1))
        left_out = (set(cells_within(origin, radius_km)) - covering) | next_ring
        for cell in left_out:
            nearest = min(haversine_km(latitude, longitude, *p) for p in edge_points(cell))
            assert nearest > radius_km, (cell, nearest)


def test_a_small_radius_looks_in_a_few_cells() -> None:
    bandung = (-6.9175, 107.6191)
    assert len(cells_covering(*bandung, 5)) <= 12
    assert len(cells_within(h3.latlng_to_cell(*bandung, RESOLUTION), 5)) == 19
    assert rings_for(5) == 2


def test_rings_grow_with_the_radius() -> None:
    rings = [rings_for(radius) for radius in range(1, 51)]
    assert rings == sorted(rings)
    assert rings_for(50) * MIN_CELL_SPACING_KM * math.sqrt(3) / 2 >= 50
