from datetime import UTC, datetime

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server.settings import PROJECT_ROOT
from server.web import i18n


@pytest.fixture(autouse=True)
def indonesian() -> None:
    i18n.set_locale("id")


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [(45_000, "id", "Rp45.000"), (2_250_000, "id", "Rp2.250.000"), (45_000, "en", "Rp45,000")],
)
def test_rupiah_is_whole_rupiah_in_local_style(amount: int, locale: str, expected: str) -> None:
    i18n.set_locale(locale)
    assert i18n.rupiah(amount) == expected


def test_formatted_values_follow_the_reader_language_and_zone_each_time() -> None:
    # Formatted once per value: the language and the reader's day stay part of the answer.
    late_evening = datetime(2026, 12, 12, 20, 30, tzinfo=UTC)  # 13 Dec in Jakarta
    shown = []
    for locale in ("id", "en", "id"):
        i18n.set_locale(locale)
        shown.append((i18n.number(1234.5, 1), i18n.number(1234), i18n.format_date(late_evening)))
    indonesian = ("1.234,5", "1.234", "13 Des")
    assert shown == [indonesian, ("1,234.5", "1,234", "13 Dec"), indonesian]
    i18n.set_timezone("UTC")
    assert i18n.format_date(late_evening) == "12 Des"
    i18n.set_timezone(i18n.DEFAULT_TIMEZONE)


def test_datetime_shows_indonesian_zone_names() -> None:
    moment = datetime(2026, 12, 12, 3, 30, tzinfo=UTC)
    assert i18n.format_datetime(moment) == "12 Des 2026, 10.30 WIB"
    i18n.set_timezone("Asia/Makassar")
    assert i18n.format_datetime(moment).endswith("11.30 WITA")
    i18n.set_timezone("Asia/Jayapura")
    assert i18n.format_datetime(moment).endswith("12.30 WIT")
    i18n.set_timezone(i18n.DEFAULT_TIMEZONE)


def test_relative_time_in_indonesian() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert (
        i18n.relative_time(datetime(2026, 12, 1, 11, 48, tzinfo=UTC), now) == "12 menit yang lalu"
    )


@pytest.mark.parametrize(
    ("choice", "header", "expected"),
    [
        (None, None, "id"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr-FR,en;q=0.8,id;q=0.9", "id"),
        (None, "in-ID", "id"),
        ("en", "id", "en"),
        ("xx", "en", "en"),
        (None, "en;q=bogus, id", "id"),
    ],
)
def test_language_negotiation(choice: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate([choice], header) == expected


def test_unknown_locale_falls_back_to_indonesian() -> None:
    i18n.set_locale("fr")
    assert i18n.get_locale() == "id"


def test_every_string_has_an_indonesian_translation() -> None:
    method_map = [("server/**.py", "python"), ("components/**.html", "jinja2")]
    options = {"components/**.html": {"extensions": "jinja2.ext.i18n"}}
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(PROJECT_ROOT, method_map, options_map=options)
        if not message[0].startswith((".venv", "tests"))
    }
    assert len(extracted) > 20
    with (i18n.CATALOGUE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="id")
    untranslated = sorted(
        msgid
        for msgid in extracted
        if not (entry := catalogue.get(msgid))
        or entry.fuzzy
        or not all(entry.string if isinstance(entry.string, tuple) else [entry.string])
    )
    assert untranslated == []
