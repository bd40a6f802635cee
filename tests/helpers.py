"""Small helpers shared by the integration tests."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import AsyncTestClient

HX = {"HX-Request": "true"}


async def csrf_token(client: AsyncTestClient[Any]) -> str:
    """The CSRF token a browser would hold after loading any page."""
    if "csrftoken" not in client.cookies:
        await client.get("/")
    return str(client.cookies["csrftoken"])


async def post_form(
    client: AsyncTestClient[Any], url: str, data: dict[str, Any], **kwargs: Any
) -> Any:
    token = await csrf_token(client)
    return await client.post(url, data={**data, "_csrf_token": token}, **kwargs)


async def post_json(client: AsyncTestClient[Any], url: str, body: Any, **kwargs: Any) -> Any:
    token = await csrf_token(client)
    headers = {"x-csrftoken": token, "Accept": "application/json", **kwargs.pop("headers", {})}
    return await client.post(url, json=body, headers=headers, **kwargs)


def hidden_field(html: str, name: str) -> str:
    """The value a page's hidden input sends back with its form (the first one named so)."""
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no hidden {name} on the page"
    return found.group(1)
