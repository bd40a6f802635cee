"""A path that merely contains an exempt path's name gets the CSRF check like any other."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

ORDER = "0b7f6b6e-8f5c-4c39-9f3c-1d2e3f4a5b6c"


@pytest.mark.parametrize(
    "kind", ["static", "sw.js", "swXjs", "healthz", "manifest.webmanifest", "manifestXwebmanifest"]
)
async def test_post_without_csrf_token_is_refused_on_lookalike_path(
    client: AsyncTestClient[Any], kind: str
) -> None:
    await client.get("/")
    response = await client.post(
        f"/orders/{ORDER}/payments/{kind}/received", data={"note": "x"}, follow_redirects=False
    )
    assert response.status_code == 403, response.text


async def test_exempt_files_are_served_without_a_csrf_cookie(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/")
    css = re.search(r'href="(/static/[0-9a-f]{12}/css/app\.css)"', page.text)
    assert css
    for path in (
        css.group(1),
        "/sw.js",
        "/manifest.webmanifest",
        "/healthz",
        "/healthz/live",
        "/healthz/ready",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "csrftoken" not in response.headers.get("set-cookie", ""), path
