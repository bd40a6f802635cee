from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.conftest import make_settings


async def test_healthz_reports_database_ok(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_readiness_is_healthz_and_liveness_answers(client: AsyncTestClient[Any]) -> None:
    ready = await client.get("/healthz/ready")
    live = await client.get("/healthz/live")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"})
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    for response in (ready, live):
        assert response.headers["cache-control"] == "no-store"


async def test_healthz_is_503_when_sqlite_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite'}"
    async with AsyncTestClient(create_app(make_settings(url, tmp_path))) as client:
        response = await client.get("/healthz")
        ready = await client.get("/healthz/ready")
        live = await client.get("/healthz/live")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert ready.status_code == 503
    assert live.status_code == 200  # the process answers: no restart for a database outage


async def test_healthz_is_503_when_postgresql_is_unreachable(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:9/nothing"
    async with AsyncTestClient(create_app(make_settings(url, tmp_path))) as client:
        response = await client.get("/healthz")
        ready = await client.get("/healthz/ready")
        live = await client.get("/healthz/live")
        home = await client.get("/")
    assert response.status_code == 503
    assert ready.status_code == 503
    assert live.status_code == 200
    assert home.status_code == 200
