"""Indonesian provinces and kabupaten/kota with centroid coordinates, read from the CSVs beside
this module (see README.md there for sources and licence)."""

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast

DATA_DIR = Path(__file__).resolve().parent
EARTH_RADIUS_KM = 6371.0088

Kind = Literal["kota", "kabupaten"]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    latitude: float
    longitude: float
    capital_code: str


@dataclass(frozen=True, slots=True)
class City:
    """A kabupaten (regency) or kota (city): the second administrative level."""

    code: str
    name: str
    kind: Kind
    province_code: str
    latitude: float
    longitude: float

    @property
    def short_name(self) -> str:
        """How the UI lists it: "Bogor (Kab.)" for Kabupaten Bogor, "Kota Bogor" as is."""
        bare = self.name.removeprefix("Kabupaten ").removeprefix("Kota ")
        bare = bare.removeprefix("Administrasi ")
        return f"{bare} (Kab.)" if self.kind == "kabupaten" else f"Kota {bare}"


@dataclass(frozen=True, slots=True)
class _Regions:
    provinces: dict[str, Province]
    cities: dict[str, City]


def _read(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _kind(value: str) -> Kind:
    if value not in ("kota", "kabupaten"):
        raise ValueError(f"unknown regency kind {value!r}")
    return cast(Kind, value)


@cache
def _load() -> _Regions:
    provinces = {
        row["code"]: Province(
            code=row["code"],
            name=row["name"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            capital_code=row["capital_code"],
        )
        for row in _read("provinces.csv")
    }
    cities = {
        row["code"]: City(
            code=row["code"],
            name=row["name"],
            kind=_kind(row["kind"]),
            province_code=row["province_code"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
        )
        for row in _read("regions.csv")
    }
    return _Regions(provinces=provinces, cities=cities)


def provinces() -> list[Province]:
    return sorted(_load().provinces.values(), key=lambda p: p.code)


def province(code: str) -> Province | None:
    return _load().provinces.get(code)


def cities(province_code: str | None = None) -> list[City]:
    found = list(_load().cities.values())
    if province_code is not None:
        found = [c for c in found if c.province_code == province_code]
    return sorted(found, key=lambda c: (c.name, c.code))


def city(code: str) -> City | None:
    return _load().cities.get(code)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; the clamp keeps rounding near antipodes inside asin's domain."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_city(latitude: float, longitude: float) -> City:
    """The listed city whose centroid is closest; only Java is covered regency by regency."""
    return min(
        _load().cities.values(),
        key=lambda c: haversine_km(latitude, longitude, c.latitude, c.longitude),
    )
