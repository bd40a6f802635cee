from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.conftest import make_settings


async def test_healthz_reports_database_ok(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_when_sqlite_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite'}"
    async with AsyncTestClient(create_app(make_settings(url, tmp_path))) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


async def test_healthz_is_503_when_postgresql_is_unreachable(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:9/nothing"
    async with AsyncTestClient(create_app(make_settings(url, tmp_path))) as client:
        response = await client.get("/healthz")
        home = await client.get("/")
    assert response.status_code == 503
    assert home.status_code == 200
