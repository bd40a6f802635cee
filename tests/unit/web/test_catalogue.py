"""The Indonesian catalogue's hygiene: what a translator can break without any page failing."""

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from server.web import i18n

# %(name)s, %(num)d, %s, %% and {name}: what gettext or the templates fill in.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|%[-#0 +]*\d*[a-zA-Z%]|\{\w*\}")
WORD = re.compile(r"[^\W\d_]+")
# Words Indonesians use as they are, so a translation may equal its English source.
LOAN_WORDS = frozenset(
    {
        "admin", "batik", "brand", "browser", "demo", "dp", "finishing", "kebaya", "km", "mode",
        "offline", "order", "passkey", "pcs", "qc", "rating", "rp", "skkni", "status", "target",
        "total", "whatsapp",
    }
)  # fmt: skip
# English words no Indonesian sentence needs: one of them in a translation is a leftover.
ENGLISH_ONLY = frozenset(
    {"the", "your", "you", "and", "with", "please", "of", "is", "are", "for", "to", "not", "this"}
)


def catalogue() -> Catalog:
    with (i18n.CATALOGUE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale="id")


def translations(message: Message) -> Iterator[tuple[str, str]]:
    """(source, translation) pairs; Indonesian has one plural form, read from the plural."""
    if isinstance(message.id, tuple):
        assert isinstance(message.string, tuple)
        for string in message.string:
            yield message.id[1], string
    else:
        assert isinstance(message.string, str)
        yield message.id, message.string


MESSAGES = [message for message in catalogue() if message.id]
# Empty translations are test_i18n's business; these checks read what a translator wrote.
PAIRS = [pair for message in MESSAGES for pair in translations(message) if pair[1]]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def words(text: str) -> set[str]:
    return set(WORD.findall(PLACEHOLDER.sub(" ", text).lower()))


def problems(source: str, translation: str) -> set[str]:
    found = set()
    if placeholders(source) != placeholders(translation):
        found.add("placeholders")
    copied = translation == source and not words(translation) <= LOAN_WORDS
    if copied or ENGLISH_ONLY & words(translation):
        found.add("english")
    if "  " in translation or translation != translation.strip():
        found.add("spaces")
    if re.search(r" [.,:;!?]", translation):
        found.add("spaces")
    return found


def test_the_catalogue_is_read_whole() -> None:
    assert len(PAIRS) > 900


def test_plural_entries_have_the_one_indonesian_form() -> None:
    assert catalogue().num_plurals == 1
    plurals = [message for message in MESSAGES if isinstance(message.id, tuple)]
    assert len(plurals) > 10
    assert [message.id for message in plurals if len(message.string) != 1] == []


@pytest.mark.parametrize("kind", ["placeholders", "english", "spaces"])
def test_no_translation_has_a_hygiene_problem(kind: str) -> None:
    assert [(source, string) for source, string in PAIRS if kind in problems(source, string)] == []


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("%(num)d offers", "%(num)d penawaran", set()),
        ("Total %(total)s", "Total %(total)s", set()),
        ("Offline", "Offline", set()),
        ("%(percent)s%% done", "%(percent)s%% selesai", set()),
        ("%(num)d offers", "%(jumlah)d penawaran", {"placeholders"}),
        ("Deadline %(date)s", "Tenggat", {"placeholders"}),
        ("%(percent)s%% done", "%(percent)s selesai", {"placeholders"}),
        ("Updated {age}.", "Diperbarui.", {"placeholders"}),
        ("Send offer", "Send offer", {"english"}),
        ("Send an offer", "Kirim the penawaran", {"english"}),
        ("Send offer", "Kirim  penawaran", {"spaces"}),
        ("Send offer", "Kirim penawaran ", {"spaces"}),
        ("Sent.", "Terkirim .", {"spaces"}),
    ],
)
def test_a_broken_translation_is_caught(source: str, translation: str, expected: set[str]) -> None:
    assert problems(source, translation) == expected
