"""What the route fuzzer sends: requests built by hypothesis from a route's own path parameters,
the words its code and the app's forms use (so fields are sometimes the ones it reads), real
ids, and nasty values (blanks, NUL, superscripts, surrogates, huge numbers, invalid UTF-8)."""

from __future__ import annotations

import ast
import inspect
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote_from_bytes
from uuid import UUID

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[3]
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,40}")
FORM_NAME = re.compile(r'name="([^"]+)"')
TEMPLATE_PART = re.compile(r"\{\{.*?\}\}")


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, as the app's route table has it."""

    method: str
    path: str  # Litestar's format: /orders/{public_id:uuid}/offers
    parameters: tuple[tuple[str, str], ...]  # (name, type) of each path parameter
    handler: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Probe:
    """One request: everything needed to send it again by hand."""

    method: str
    url: str
    headers: tuple[tuple[str, bytes], ...]
    body: bytes | None
    files: tuple[tuple[str, tuple[str, bytes, str]], ...]
    form: tuple[tuple[str, str], ...]

    def __repr__(self) -> str:
        return f"Probe({', '.join(shorten(value) for value in vars(self).values())})"


def shorten(value: Any, limit: int = 400) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} characters)"


NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "²",
    "¹²³",
    "-1",
    "-0",
    "0",
    "1e9",
    "1.5",
    "3,5",
    "NaN",
    "inf",
    "1_000",
    "١٢٣",
    "🧵",
    "\u200b",
    "\ud800",
    "null",
    "true",
    "[]",
    "{}",
    "0000-00-00",
    "9999-12-31",
    "2026-02-30",
    "9" * 40,
    str(2**63),
    str(-(2**63) - 1),
    "9" * 5000,
    "x" * 70_000,
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]


@cache
def literal_words(module: ModuleType) -> frozenset[str]:
    """String constants of a module that look like names: fields, choices, kinds."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return frozenset()
    return frozenset(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and WORD.fullmatch(node.value)
    )


def imported_modules(module: ModuleType) -> list[ModuleType]:
    names = {
        value.__module__ if not isinstance(value, ModuleType) else value.__name__
        for value in vars(module).values()
        if getattr(value, "__module__", None) or isinstance(value, ModuleType)
    }
    return [
        sys.modules[name] for name in names if name.startswith("server.") and name in sys.modules
    ]


@cache
def form_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every field name the app's templates use, and the prefixes of templated ones
    (`size_{{ size }}` gives `size_`)."""
    names: set[str] = set()
    prefixes: set[str] = set()
    for template in (ROOT / "components").rglob("*.html"):
        for name in FORM_NAME.findall(template.read_text()):
            if "{{" in name:
                prefixes.add(TEMPLATE_PART.split(name)[0])
            else:
                names.add(name)
    return tuple(sorted(names)), tuple(sorted(prefix for prefix in prefixes if prefix))


@cache
def vocabulary(endpoint: Endpoint) -> list[str]:
    """Words the route's code uses, its own module's first, then the modules it imports."""
    fn = getattr(endpoint.handler, "fn", endpoint.handler)
    module = sys.modules[fn.__module__]
    words = set(literal_words(module))
    for other in imported_modules(module):
        words |= literal_words(other)
    return sorted(words)


NASTY_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Zs", "No", "So"]), max_size=8),
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.uuids().map(str),
)


# Values that pass the usual checks, so a request gets past its first field to the next.
PLAUSIBLE = ["1", "on", "5", "10", "45.000", "2026-12-20", "2027-01-15", "21:00", "06:00"]
PLAUSIBLE += ["0812-3456-7890", "32.73", "-6.9175", "107.6191", "Kemeja batik seragam"]


def values(words: list[str], uuids: list[UUID], tokens: list[str]) -> st.SearchStrategy[str]:
    """A field's value: often one the code knows (a choice, a real id), else anything."""
    known = [*words, *map(str, uuids), *tokens, *PLAUSIBLE]
    return st.one_of(st.sampled_from(known), st.sampled_from(NASTY), NASTY_TEXT)


def declared_fields(words: list[str]) -> list[str]:
    """The fields this route's forms most likely have: the app's form field names its code
    mentions (`size_{{ size }}` gives `size_S` when the code mentions "S")."""
    names, prefixes = form_names()
    declared = set(words) & set(names)
    declared |= {prefix + word for prefix in prefixes for word in words if len(word) <= 3}
    return sorted(declared)


def field_names(words: list[str]) -> st.SearchStrategy[str]:
    names, prefixes = form_names()
    return st.one_of(
        st.sampled_from(names),
        st.sampled_from(words) if words else st.nothing(),
        st.tuples(st.sampled_from(prefixes), st.sampled_from(words or ["x"])).map("".join),
        st.sampled_from(["_csrf_token", "_idempotency_key"]),
        st.text(max_size=12),
    )


def encode(text: str) -> bytes:
    """UTF-8 as a client would send it; lone surrogates become the invalid bytes a broken or
    hostile client sends."""
    return text.encode("utf-8", "surrogatepass")


def sendable(text: str) -> bool:
    """Multipart parts go through the HTTP client, which cannot encode lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(
        f"{quote_from_bytes(encode(key), safe='')}={quote_from_bytes(encode(value), safe='')}"
        for key, value in pairs
    ).encode()


def json_values(words: list[str], leaves: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), leaves)
    keys = st.one_of(st.sampled_from(words or ["x"]), st.text(max_size=8))
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)
        ),
        max_leaves=8,
    )


HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40).map(
    lambda text: text.strip().encode("latin-1")
)
HEADERS: dict[str, st.SearchStrategy[bytes]] = {
    "HX-Request": st.sampled_from([b"true", b"false", b"", b"1"]) | HEADER_TEXT,
    "HX-Target": st.sampled_from([b"main", b"order-1-status", b""]) | HEADER_TEXT,
    "HX-Boosted": st.sampled_from([b"true", b"false"]),
    "HX-History-Restore-Request": st.sampled_from([b"true", b"false"]),
    "HX-Current-URL": st.sampled_from([b"http://localhost:8000/", b"javascript:x"]) | HEADER_TEXT,
    "Accept": st.sampled_from([b"application/json", b"text/html", b"*/*", b"image/webp"])
    | HEADER_TEXT,
    "Accept-Language": st.sampled_from(
        [b"en", b"id", b"en-US,en;q=0.9", b"*", b"zz", b"id;q=x", b";;,", b"\xe9\xff"]
    )
    | HEADER_TEXT,
    "Accept-Encoding": st.sampled_from([b"br", b"gzip", b"identity;q=0", b"*"]) | HEADER_TEXT,
    "If-None-Match": st.sampled_from([b'"abc"', b'W/"x"', b"*", b""]) | HEADER_TEXT,
    "If-Modified-Since": st.sampled_from([b"Tue, 01 Dec 2026 00:00:00 GMT"]) | HEADER_TEXT,
    "Idempotency-Key": HEADER_TEXT,
    "User-Agent": HEADER_TEXT,
    "Origin": st.sampled_from([b"http://localhost:8000", b"https://evil.example", b"null"]),
    "Referer": HEADER_TEXT,
    "X-Forwarded-For": st.sampled_from([b"203.0.113.9", b"::1", b"garbage"]),
}
URL_MAX = 8000  # longer request lines are refused by the server in front of the app
FILENAMES = st.sampled_from(["a.jpg", "", "ü.png", "../../x.webp", "a\x00.jpg"])
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/json",
    "text/plain",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/octet-stream",
    "image/png",
    "",
    ";;;",
]


def path_value(kind: str, uuids: list[UUID], words: list[str], tokens: list[str]) -> Any:
    """A path parameter: usually the right type (a real id more often than not), else junk
    the router has to turn away."""
    junk = st.one_of(
        st.integers().map(str),
        st.just(str(2**200)),
        st.sampled_from(["-1", "0", "", "\x00", "²", "é", "🧵", "%", "..", "a/b"]),
        NASTY_TEXT,
    )
    if kind == "UUID":
        right: st.SearchStrategy[str] = (
            st.sampled_from(uuids).map(str) if uuids else st.nothing()
        ) | st.uuids().map(str)
    elif kind == "Path":
        right = st.sampled_from(["css/app.css", "js/push.js", "icons/icon-192.png", "x/../../a"])
    elif kind == "int":
        right = st.integers().map(str)
    else:
        right = st.sampled_from([*words, *tokens] or ["x"])
    return st.one_of(right, right, right, junk)


@dataclass(frozen=True)
class Parts:
    """The strategies of one route's requests, built once per route and role."""

    endpoint: Endpoint
    paths: tuple[st.SearchStrategy[str], ...]
    pairs: st.SearchStrategy[list[tuple[str, str]]]
    fields: st.SearchStrategy[list[tuple[str, str]]]
    json: st.SearchStrategy[Any]
    files: st.SearchStrategy[list[tuple[str, str, bytes]]]
    csrf: str


def probes(
    endpoint: Endpoint, words: list[str], uuids: list[UUID], tokens: list[str], csrf: str
) -> st.SearchStrategy[Probe]:
    leaf = values(words, uuids, tokens)
    names = field_names(words)
    parts = Parts(
        endpoint,
        tuple(path_value(kind, uuids, words, tokens) for _name, kind in endpoint.parameters),
        st.lists(st.tuples(names, leaf), max_size=4),
        st.tuples(
            st.fixed_dictionaries({}, optional=dict.fromkeys(declared_fields(words), leaf)),
            st.lists(st.tuples(names, leaf), max_size=3),
        ).map(lambda both: [*both[0].items(), *both[1]]),
        st.one_of(
            st.dictionaries(st.sampled_from(words or ["x"]), json_values(words, leaf), max_size=6),
            json_values(words, leaf),
        ),
        st.lists(st.tuples(names, FILENAMES, PHOTOS), max_size=2),
        csrf,
    )
    return probe(parts)


PHOTOS = st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"\xff\xd8\xff\xe0"]) | st.binary(
    max_size=64
)
HEADER_SETS = st.fixed_dictionaries({}, optional=HEADERS)
CSRF_PLACES = st.sampled_from(["header", "header", "field", "none"])
BODY_KINDS = st.sampled_from(["form", "form", "json", "multipart", "raw", "none"])
ODD_TYPES = st.sampled_from(CONTENT_TYPES).map(str.encode)


@st.composite
def probe(draw: st.DrawFn, parts: Parts) -> Probe:
    endpoint = parts.endpoint
    url = endpoint.path
    for (name, kind), strategy in zip(endpoint.parameters, parts.paths, strict=True):
        raw = encode(draw(strategy))[: URL_MAX // 4]
        value = quote_from_bytes(raw, safe="/" if kind == "Path" else "")
        url = re.sub(r"\{" + name + r":[^}]+\}", lambda _match, value=value: value, url)
    query = urlencoded(draw(parts.pairs)).decode()
    if query and len(url) + len(query) < URL_MAX:
        url += "?" + query
    headers = draw(HEADER_SETS)
    csrf_in = draw(CSRF_PLACES)
    if csrf_in == "header":
        headers["X-CSRFToken"] = parts.csrf.encode()

    body: bytes | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    form: list[tuple[str, str]] = []
    pairs = draw(parts.fields)
    if csrf_in == "field":
        pairs.append(("_csrf_token", parts.csrf))
    kind = draw(BODY_KINDS)
    if kind == "form":
        body = urlencoded(pairs)
        headers["Content-Type"] = b"application/x-www-form-urlencoded"
    elif kind == "json":
        body = json.dumps(draw(parts.json)).encode()
        headers["Content-Type"] = b"application/json"
    elif kind == "multipart":
        form = [(key, value) for key, value in pairs if sendable(key + value)]
        files = [
            (name, (filename, content, "image/jpeg"))
            for name, filename, content in draw(parts.files)
            if sendable(name + filename)
        ]
        if not files and not form:
            form = [("x", "1")]
    if body is not None and draw(st.integers(0, 9)) == 0:
        headers["Content-Type"] = draw(ODD_TYPES)
    if kind == "raw":
        body = draw(st.binary(max_size=200))
        headers["Content-Type"] = draw(ODD_TYPES)
    return Probe(endpoint.method, url, tuple(headers.items()), body, tuple(files), tuple(form))
