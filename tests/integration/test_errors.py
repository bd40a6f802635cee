import logging
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from tests.helpers import HX


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


async def test_crash_shows_friendly_page_and_logs_context(
    app: Litestar, client: AsyncTestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    @get("/boom", sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("the sewing machine jammed")

    app.register(boom)
    with caplog.at_level(logging.ERROR, logger="server.errors"):
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "Terjadi kesalahan di sistem kami" in response.text
    assert "Traceback" not in response.text and "jammed" not in response.text
    assert any("GET /boom" in record.getMessage() and record.exc_info for record in caplog.records)


async def test_wrong_method_is_a_friendly_405(client: AsyncTestClient[Any]) -> None:
    response = await client.put("/language")
    assert response.status_code in (403, 405)
    assert "<html" in response.text
