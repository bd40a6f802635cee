"""Fixtures: a clean database per test on each engine, the app, and its test client."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.testing import AsyncTestClient
from piccolo.engine.base import Engine

from server import piccolo_conf
from server.app import create_app
from server.db import all_tables, current_engine, migrate, use_database
from server.settings import Settings
from server.web.ratelimit import STORE_NAME

# Property-based tests: a bounded number of examples, so the suite stays quick in CI;
# HYPOTHESIS_PROFILE=thorough tries many more when hunting a bug.
settings.register_profile(
    "ci", max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

T = TypeVar("T")
ENGINES = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]
TEST_ORIGIN = "http://localhost:8000"


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion in its own thread and loop.

    Playwright's sync API keeps an event loop running in the main thread, so asyncio.run()
    cannot be called there by fixtures that prepare the database.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in this thread
    from its first use, after which async tests could no longer run."""
    items.sort(key=lambda item: "e2e" in item.path.parts)


async def reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def create_postgres(url: str, name: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_postgres(url: str, name: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session", params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database, once per engine for the whole run. Under pytest-xdist each worker
    makes a PostgreSQL database of its own beside TEST_DATABASE_URL's, and drops it after."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        given = os.environ["TEST_DATABASE_URL"]
        url = given
        if worker:
            own = f"{given.rsplit('/', 1)[1]}_{worker}"
            run_async(lambda: create_postgres(given, own))
            url = f"{given.rsplit('/', 1)[0]}/{own}"
        run_async(lambda: reset_postgres(url))
    use_database(url)
    run_async(migrate)
    yield url
    if request.param != "sqlite" and worker and url != given:
        run_async(lambda: drop_postgres(given, url.rsplit("/", 1)[1]))


def empty_tables(url: str) -> None:
    names = [
        table._meta.tablename for table in all_tables() if table._meta.tablename != "migration"
    ]
    if not names:
        return
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            # Emptying is not worth waiting for the disk: nothing is kept of a test's rows.
            connection.execute("PRAGMA synchronous = OFF")
            for name in names:
                connection.execute(f'DELETE FROM "{name}"')  # noqa: S608 (table names, not input)
        return

    async def delete_rows() -> None:
        # DELETE is ten times quicker than TRUNCATE on tables this small; foreign keys are not
        # checked meanwhile (replica role), and the ids start again at 1 as after a TRUNCATE.
        connection = await asyncpg.connect(url)
        try:
            sequences = await connection.fetch(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = 'public'"
            )
            # Table and sequence names, not input.
            deletes = "".join(f'DELETE FROM "{name}";' for name in names)  # noqa: S608
            restarts = "".join(f'ALTER SEQUENCE "{row[0]}" RESTART;' for row in sequences)
            await connection.execute(
                f"SET session_replication_role = replica;{deletes}{restarts}"
                "SET session_replication_role = DEFAULT;"
            )
        finally:
            await connection.close()

    run_async(delete_rows)


@pytest.fixture
def suite_database() -> Iterator[None]:
    """For a test that points Piccolo at a database of its own: the other tests get theirs
    back, the very engine (and pool) they had."""
    previous = current_engine()
    yield
    piccolo_conf.DB = previous
    for table in all_tables():
        table._meta.db = previous


@pytest.fixture
def clean_database(database_url: str) -> str:
    empty_tables(database_url)
    return database_url


def make_settings(
    database_url: str, data_dir: Path, origin: str = TEST_ORIGIN, pool_size: int = 0
) -> Settings:
    """Test settings. No PostgreSQL pool by default: the test client runs the app's lifespan
    on another event loop than the test's own queries, and a pool belongs to one loop."""
    return Settings(
        database_url=database_url,
        host="127.0.0.1",
        port=int(origin.rsplit(":", 1)[1]),
        data_dir=data_dir,
        public_origin=origin,
        secret_key="test-secret-key-not-for-production",
        database_pool_size=pool_size,
        push_worker=False,
    )


@dataclass
class FolderCopy:
    """What a folder held (each entry's mode, and each file's bytes), to put it back so."""

    entries: dict[Path, tuple[int, bytes | None]]

    @classmethod
    def of(cls, folder: Path) -> FolderCopy:
        entries: dict[Path, tuple[int, bytes | None]] = {Path("."): (folder.stat().st_mode, None)}
        for path in folder.rglob("*"):
            data = None if path.is_dir() else path.read_bytes()
            entries[path.relative_to(folder)] = (path.stat().st_mode, data)
        return cls(entries)

    def put_back(self, folder: Path) -> None:
        """Whatever a test added goes, whatever it changed or removed comes back."""
        for parent, folders, files in os.walk(folder, topdown=False):
            for name in [*files, *folders]:
                path = Path(parent) / name
                if path.relative_to(folder) in self.entries:
                    continue
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()  # bottom-up: what it held is already gone
                else:
                    path.unlink()
        for relative, (mode, data) in sorted(self.entries.items()):
            path = folder / relative
            if data is None:
                path.mkdir(exist_ok=True)
            elif not path.is_file() or path.read_bytes() != data:
                path.unlink(missing_ok=True)
                path.write_bytes(data)
            if stat.S_IMODE(path.stat().st_mode) != stat.S_IMODE(mode):
                path.chmod(stat.S_IMODE(mode))


@dataclass
class SharedApp:
    app: Litestar
    engine: Engine[Any]


# Built apps by their settings. Building one (Litestar registering every route, Jinja compiling
# the templates on first use) costs more than most tests; a test of the same settings as an
# earlier one gets that app with its state as new: an empty database and rate-limit store, and
# the data folder as it was after the app was built.
APPS: OrderedDict[Settings, SharedApp] = OrderedDict()
APPS_KEPT = 8


def shared_app(settings: Settings) -> Litestar:
    """An app for `settings`, built once; Piccolo pointed at its engine, as building it does."""
    found = APPS.get(settings)
    if found is None:
        app = create_app(settings)
        APPS[settings] = SharedApp(app, current_engine())
        if len(APPS) > APPS_KEPT:
            APPS.popitem(last=False)
        return app
    APPS.move_to_end(settings)
    piccolo_conf.DB = found.engine
    for table in all_tables():
        table._meta.db = found.engine
    run_async(found.app.stores.get(STORE_NAME).delete_all)
    return found.app


@pytest.fixture(scope="session")
def data_folder(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, FolderCopy]:
    """The tests' DATA_DIR on this engine, with what building the app puts in it."""
    folder = tmp_path_factory.mktemp("data") / "data"
    shared_app(make_settings(database_url, folder))
    return folder, FolderCopy.of(folder)


@pytest.fixture
def settings(clean_database: str, data_folder: tuple[Path, FolderCopy]) -> Settings:
    folder, built = data_folder
    built.put_back(folder)
    return make_settings(clean_database, folder)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return shared_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    """Closes the extra clients a test opens (one per person)."""
    async with AsyncExitStack() as stack:
        yield stack


@pytest.fixture
def artifacts_dir() -> Iterator[Path]:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    yield path
