import dataclasses

import pytest

from server import regions
from server.regions import City, cities, city, haversine_km, nearest_city, province, provinces

JAVA_REGENCY_COUNTS = {
    "36": ("Banten", 8),
    "31": ("Daerah Khusus Ibukota Jakarta", 6),
    "32": ("Jawa Barat", 27),
    "33": ("Jawa Tengah", 35),
    "34": ("Daerah Istimewa Yogyakarta", 5),
    "35": ("Jawa Timur", 38),
}

# Rough (south, north, west, east) boxes around each Java province's regency seats, wide enough
# for every real seat and narrow enough that a swapped or mistyped digit lands outside.
JAVA_BOUNDS = {
    "36": (-7.05, -5.85, 105.05, 106.80),
    "31": (-6.40, -5.15, 106.35, 107.00),
    "32": (-7.85, -5.90, 106.35, 108.85),
    "33": (-8.25, -6.35, 108.55, 111.70),
    "34": (-8.25, -7.50, 110.00, 110.85),
    "35": (-8.80, -6.70, 110.85, 114.65),
}

INDONESIA_BOUNDS = (-11.2, 6.3, 94.8, 141.1)


def _inside(c: City, bounds: tuple[float, float, float, float]) -> bool:
    south, north, west, east = bounds
    return south <= c.latitude <= north and west <= c.longitude <= east


def _distance(code_a: str, code_b: str) -> float:
    a, b = city(code_a), city(code_b)
    assert a is not None and b is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def test_provinces_are_the_38_with_unique_codes() -> None:
    listed = provinces()
    assert len(listed) == 38
    assert len({p.code for p in listed}) == 38
    assert [p.code for p in listed] == sorted(p.code for p in listed)


def test_java_provinces_have_every_regency() -> None:
    for code, (name, expected) in JAVA_REGENCY_COUNTS.items():
        found = province(code)
        assert found is not None and found.name == name
        assert len(cities(code)) == expected, name
    assert sum(len(cities(code)) for code in JAVA_REGENCY_COUNTS) == 119


def test_every_province_capital_is_a_city_of_that_province() -> None:
    for p in provinces():
        capital = city(p.capital_code)
        assert capital is not None, p.name
        assert capital.province_code == p.code
        assert p.latitude == pytest.approx(capital.latitude, abs=0.5)
        # Sofifi, North Maluku's capital, lies 16 km from Kota Tidore Kepulauan's seat.
        assert haversine_km(p.latitude, p.longitude, capital.latitude, capital.longitude) < 25


def test_outside_java_only_capitals_are_listed() -> None:
    capitals = {p.capital_code for p in provinces()}
    for c in cities():
        if c.province_code not in JAVA_REGENCY_COUNTS:
            assert c.code in capitals, c.name


def test_city_codes_kinds_and_provinces_agree() -> None:
    province_codes = {p.code for p in provinces()}
    for c in cities():
        assert c.province_code in province_codes
        assert c.code.startswith(f"{c.province_code}.")
        assert c.name.startswith({"kota": "Kota ", "kabupaten": "Kabupaten "}[c.kind])
    assert len({c.code for c in cities()}) == len(cities())


def test_every_coordinate_is_inside_indonesia() -> None:
    for p in provinces():
        south, north, west, east = INDONESIA_BOUNDS
        assert south <= p.latitude <= north and west <= p.longitude <= east, p.name
    for c in cities():
        assert _inside(c, INDONESIA_BOUNDS), c.name


def test_every_java_city_is_inside_its_province_box() -> None:
    for code, bounds in JAVA_BOUNDS.items():
        for c in cities(code):
            assert _inside(c, bounds), f"{c.code} {c.name} ({c.latitude}, {c.longitude})"


def test_known_straight_line_distances() -> None:
    assert 90 <= _distance("32.73", "32.71") <= 105  # Kota Bandung – Kota Bogor
    assert 75 <= _distance("35.78", "35.73") <= 90  # Kota Surabaya – Kota Malang
    assert 115 <= _distance("31.71", "32.73") <= 125  # Jakarta Pusat – Kota Bandung
    assert 50 <= _distance("34.71", "33.72") <= 62  # Kota Yogyakarta – Kota Surakarta


def test_haversine_basics() -> None:
    assert haversine_km(-6.9, 107.6, -6.9, 107.6) == 0
    assert haversine_km(0, 100, 1, 100) == pytest.approx(111.19, abs=0.01)
    assert haversine_km(-6.2, 106.8, -7.25, 112.75) == pytest.approx(
        haversine_km(-7.25, 112.75, -6.2, 106.8)
    )


def test_nearest_city_of_central_bandung_is_kota_bandung() -> None:
    assert nearest_city(-6.9218, 107.6071).code == "32.73"  # Alun-alun Bandung


def test_nearest_city_elsewhere() -> None:
    assert nearest_city(-7.2458, 112.7378).code == "35.78"  # Tugu Pahlawan, Surabaya
    assert nearest_city(-7.8014, 110.3647).code == "34.71"  # Malioboro, Yogyakarta
    assert nearest_city(-8.65, 115.22).code == "51.71"  # Denpasar


def test_lookups_by_code() -> None:
    bandung = city("32.73")
    assert bandung is not None
    assert (bandung.name, bandung.kind, bandung.province_code) == ("Kota Bandung", "kota", "32")
    bogor = city("32.01")
    assert bogor is not None and (bogor.name, bogor.kind) == ("Kabupaten Bogor", "kabupaten")
    java_barat = province("32")
    assert java_barat is not None and java_barat.capital_code == "32.73"
    assert city("99.99") is None
    assert province("99") is None


def test_cities_are_sorted_by_name() -> None:
    names = [c.name for c in cities("32")]
    assert names == sorted(names)
    assert [c.name for c in cities()] == sorted(c.name for c in cities())
    assert cities("99") == []


def test_short_name_drops_kabupaten_prefix() -> None:
    def short(code: str) -> str:
        found = city(code)
        assert found is not None
        return found.short_name

    assert short("32.01") == "Bogor (Kab.)"
    assert short("32.71") == "Kota Bogor"
    assert short("31.71") == "Kota Jakarta Pusat"
    assert short("31.01") == "Kepulauan Seribu (Kab.)"


def test_results_are_immutable_and_loaded_once() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        cities()[0].name = "x"  # type: ignore[misc]
    cities().clear()
    assert len(cities("32")) == 27
    assert regions._load() is regions._load()
