"""Where people and orders are: region codes, the centre of Kota Bandung, distances north of it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from server import regions

KOTA_BANDUNG = "32.73"  # 0 km from BANDUNG, where orders are picked up
KOTA_CIMAHI = "32.77"  # about 9.8 km
BANDUNG_BARAT = "32.17"  # about 14.5 km
SUMEDANG = "32.11"  # about 33.9 km
KOTA_YOGYAKARTA = "34.71"
KOTA_SURABAYA = "35.78"
BANDUNG = ("-6.9175", "107.6191")  # the centre of Kota Bandung
KM_PER_DEGREE_LATITUDE = 111.195


def today() -> date:
    """Today in Jakarta."""
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()


def bandung() -> regions.City:
    city = regions.city(KOTA_BANDUNG)
    assert city is not None
    return city


def north_of_bandung(km: float) -> tuple[float, float]:
    city = bandung()
    return round(city.latitude + km / KM_PER_DEGREE_LATITUDE, 5), city.longitude
