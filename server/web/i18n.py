"""Translations (Bahasa Indonesia first, English second) and Indonesian-style formatting."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from server.clock import now

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"
DEFAULT_TIMEZONE = "Asia/Jakarta"
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "translations"
LANGUAGE_COOKIE = "lang"

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)
_timezone: ContextVar[str] = ContextVar("timezone", default=DEFAULT_TIMEZONE)


@cache
def translations_for(locale: str) -> Translations:
    """The catalogue of `locale`, compiled in memory from its .po file."""
    po_path = CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return Translations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def get_locale() -> str:
    return _locale.get()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Write in someone else's language for a moment (an alert to its recipient)."""
    token = _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


def set_timezone(zone: str) -> None:
    _timezone.set(zone)


def get_timezone() -> tzinfo:
    return ZoneInfo(_timezone.get())


def gettext(message: str, **variables: object) -> str:
    text = translations_for(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations_for(get_locale()).ungettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def negotiate(candidates: Iterable[str | None], accept_language: str | None) -> str:
    """The first supported explicit choice, else the best Accept-Language match, else Indonesian."""
    for candidate in candidates:
        if candidate in LOCALES:
            return candidate
    preferred = []
    for item in (accept_language or "").split(","):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            preferred.append((quality, tag.strip()))
    for _quality, tag in sorted(preferred, key=lambda pair: -pair[0]):
        language = tag.split("-")[0].lower()
        if language == "in":  # the old code for Indonesian, still sent by some Android phones
            language = "id"
        if language in LOCALES:
            return language
    return DEFAULT_LOCALE


@lru_cache(maxsize=4096)
def decimal_in(value: float, locale: str) -> str:
    """Pages show the same few amounts again and again (prices, totals, counts): Babel formats
    each once per language."""
    return numbers.format_decimal(value, locale=locale)


def rupiah(amount: int) -> str:
    """Rp45.000 in Indonesian, Rp45,000 in English: whole Rupiah, no decimals."""
    return "Rp" + decimal_in(amount, get_locale())


def number(value: float, digits: int = 0) -> str:
    return decimal_in(round(value, digits), get_locale())


def local_datetime(moment: datetime) -> datetime:
    return moment.astimezone(get_timezone())


def local_date(moment: datetime) -> date:
    """The day it was where the reader lives."""
    return local_datetime(moment).date()


def local_today() -> date:
    return local_date(now())


def format_date(value: date | datetime, format: str = "d MMM") -> str:
    if isinstance(value, datetime):
        value = local_datetime(value)
    return dates.format_date(value, format=format, locale=get_locale())


def format_datetime(moment: datetime, format: str = "d MMM y, HH.mm") -> str:
    local = local_datetime(moment)
    # Indonesia's own zone names (WIB, WITA, WIT) in every language.
    zone = dates.get_timezone_name(local, width="short", locale="id")
    return f"{dates.format_datetime(local, format=format, locale=get_locale())} {zone}"


def relative_time(moment: datetime, now: datetime) -> str:
    return dates.format_timedelta(
        moment - now, add_direction=True, threshold=1.0, locale=get_locale()
    )


def language_name(locale: str) -> str:
    return LANGUAGE_NAMES.get(locale) or Locale.parse(locale).display_name or locale
