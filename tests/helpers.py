"""Small helpers shared by the integration tests."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.testing.transport import TestClientTransport
from markupsafe import escape

from server.web import i18n

HX = {"HX-Request": "true"}
LOCAL_ORIGIN = "http://localhost:8000"


class PeerTransport(TestClientTransport[Any]):
    """The test client's transport, as if the connection came from `peer`."""

    def __init__(self, client: AsyncTestClient[Any], peer: str) -> None:
        super().__init__(client=client)
        self.peer = peer

    def parse_request(self, request: Any) -> dict[str, Any]:
        scope = super().parse_request(request)
        scope["client"] = (self.peer, 50000)
        return scope


def client_from(
    app: Litestar, peer: str, base_url: str = LOCAL_ORIGIN
) -> AsyncTestClient[Litestar]:
    """A test client whose requests arrive from `peer` (the plain one's peer is "testclient")."""
    with warnings.catch_warnings():
        # Litestar warns of a dotless host for its cookies; localhost keeps them well here.
        warnings.simplefilter("ignore", UserWarning)
        client = AsyncTestClient(app=app, base_url=base_url)
    client._transport = PeerTransport(client, peer)
    return client


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


async def post_multipart(
    client: AsyncTestClient[Any],
    url: str,
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes, str]],
    **kwargs: Any,
) -> Any:
    token = await csrf_token(client)
    return await client.post(
        url, data={**fields, "_csrf_token": token}, files=files, follow_redirects=False, **kwargs
    )


def indonesian(msgid: str, *, html: bool = True, **variables: Any) -> str:
    """The catalogue's Indonesian for an English msgid, escaped as a page shows it (`html=False`:
    as plain text)."""
    with i18n.using_locale("id"):
        text = i18n.gettext(msgid, **variables)
    return str(escape(text)) if html else text


def refusal_in_indonesian(refusal: Callable[[str], Any], code: str) -> str:
    """The text of a domain's refusal (`refusal(code).message`, e.g. OrderError) as a page
    shows it in Indonesian."""
    with i18n.using_locale("id"):
        return str(escape(refusal(code).message))
