import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import Settings
from tests.helpers import HX, csrf_token


async def test_unknown_page_gets_friendly_translated_404(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert "<html" in response.text
    english = await client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert "Page not found" in english.text


async def test_error_as_fragment_for_htmx(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/no-such-page", headers=HX)
    assert response.status_code == 404
    assert "<html" not in response.text
    assert 'id="error-message"' in response.text


async def test_error_as_json_for_api_clients(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"] == "Halaman tidak ditemukan"


@pytest.fixture
def own_app(settings: Settings) -> Litestar:
    """An app of this test's own: the route it adds stays with it."""
    return create_app(settings)


@pytest.fixture
async def own_client(own_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=own_app) as client:
        yield client


async def test_crash_shows_friendly_page_and_logs_context(
    own_app: Litestar, own_client: AsyncTestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    @get("/boom", sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("the sewing machine jammed")

    own_app.register(boom)
    with caplog.at_level(logging.ERROR, logger="server.errors"):
        response = await own_client.get("/boom")
    assert response.status_code == 500
    assert "Terjadi kesalahan di sistem kami" in response.text
    assert "Traceback" not in response.text and "jammed" not in response.text
    assert any("GET /boom" in record.getMessage() and record.exc_info for record in caplog.records)


async def test_wrong_method_is_a_friendly_405(client: AsyncTestClient[Any]) -> None:
    response = await client.put("/language")
    assert response.status_code in (403, 405)
    assert "<html" in response.text


async def test_form_part_that_is_not_utf8_is_a_friendly_400(
    client: AsyncTestClient[Any],
) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/language",
        data={"_csrf_token": token},
        files={"lang": ("", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert response.status_code == 400
    assert "Ada yang tidak beres dengan permintaan ini" in response.text


async def test_multipart_post_to_a_json_route_is_answered_at_once(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    """The CSRF field found in a multipart body must not leave the JSON route waiting for a
    body already read (a real server's client, like httpx's own transport here, would wait)."""
    token = await csrf_token(client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as raw:
        raw.cookies.set("csrftoken", token)
        async with asyncio.timeout(10):
            response = await raw.post(
                "/auth/register/options",
                data={"_csrf_token": token, "role": "tailor"},
                files={"photo": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
            )
    assert response.status_code == 400


async def test_csrf_token_sent_as_a_file_is_refused_as_an_expired_form(
    client: AsyncTestClient[Any],
) -> None:
    await csrf_token(client)
    response = await client.post("/language", files={"_csrf_token": ("a.jpg", b"", "image/jpeg")})
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in response.text
