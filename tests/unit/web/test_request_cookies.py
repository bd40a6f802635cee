"""The two cookies every page reads are read from the header as http.cookies reads them."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from server.web.middleware import cookie

HEADERS = [
    "",
    "cl_session=abc-DEF_123",
    "lang=en; cl_session=abc; csrftoken=xyz",
    "csrftoken=xyz;cl_session=abc;lang=id",
    "old_cl_session=nope; cl_session_x=nope; cl_session=yes",
    'lang="en"; cl_session=abc',
    "cl_session=; lang=en",
    "cl_session=first; cl_session=second",
    "lang",
]


@pytest.mark.parametrize("raw", HEADERS)
@pytest.mark.parametrize("name", ["cl_session", "lang"])
def test_a_cookie_reads_as_http_cookies_reads_it(raw: str, name: str) -> None:
    parsed = SimpleCookie(raw)
    expected = parsed[name].value if name in parsed else None
    scope = {"headers": [(b"cookie", raw.encode())]} if raw else {"headers": []}

    assert cookie(scope, name) == expected  # type: ignore[arg-type]
