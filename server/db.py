"""Engines for SQLite and PostgreSQL, chosen by DATABASE_URL, and their life cycle."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from server.connections import begin, close_sqlite_pool, start_sqlite_pool
from server.files import private_file, tighten

logger = logging.getLogger(__name__)

SQLITE_PREFIX = "sqlite:///"
SQLITE_BUSY_TIMEOUT_S = 10
# SQLite gives its -wal, -shm and -journal files the database file's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class DatabaseURLError(ValueError):
    pass


class SQLiteOnOneTrip(SQLiteEngine):
    """Piccolo's SQLite engine, but a statement on an open connection (a transaction's, a
    request's) is one trip to the connection's thread instead of three: Piccolo turns foreign
    keys on again before each one, which `get_connection` did when it opened the connection,
    and fetches the rows in a trip of their own. SQLite has RETURNING (>= 3.35) here, so
    Piccolo's look-up of an inserted row's key on older versions never applies."""

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        return await connection.execute_fetchall(query, args or [])


def make_engine(url: str) -> Engine[Any]:
    if url.startswith(SQLITE_PREFIX):
        return SQLiteOnOneTrip(path=url.removeprefix(SQLITE_PREFIX), timeout=SQLITE_BUSY_TIMEOUT_S)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config={"dsn": url})
    raise DatabaseURLError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}")


def all_tables() -> list[type[Table]]:
    return [*Finder().get_table_classes(), Migration]


def use_database(url: str) -> Engine[Any]:
    """Point Piccolo (its migrations and every table) at the database behind `url`."""
    from server import piccolo_conf

    engine = make_engine(url)
    piccolo_conf.DB = engine
    for table in all_tables():
        table._meta.db = engine
    return engine


def current_engine() -> Engine[Any]:
    from server import piccolo_conf

    engine: Engine[Any] = piccolo_conf.DB
    return engine


def protect_sqlite_file(engine: Engine[Any]) -> None:
    """The SQLite file (made before SQLite would make it world-readable) and its companions:
    mode 0600. Its folder is the operator's (DATA_DIR, 0700, by default); a missing one stays
    missing, so the database is reported unreachable."""
    if not isinstance(engine, SQLiteEngine):
        return
    path = Path(engine.path)
    if not path.parent.is_dir():
        return
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            tighten(companion)


async def open_database(engine: Engine[Any], pool_size: int = 10) -> None:
    """Prepare the engine for serving: WAL on SQLite, and connections kept open between
    requests (`pool_size` of them; none at 0)."""
    try:
        if isinstance(engine, SQLiteEngine):
            protect_sqlite_file(engine)
            await engine.run_ddl("PRAGMA journal_mode=WAL")
            if pool_size > 0:
                start_sqlite_pool(engine, pool_size)
        elif isinstance(engine, PostgresEngine) and pool_size > 0:
            await engine.start_connection_pool(min_size=1, max_size=pool_size)
    except Exception:
        # Serve anyway: /healthz reports the outage and requests fail with a friendly page.
        logger.exception("could not open the database")


async def close_database(engine: Engine[Any]) -> None:
    if isinstance(engine, SQLiteEngine):
        await close_sqlite_pool(engine)
    elif isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()


async def database_is_up(engine: Engine[Any]) -> bool:
    try:
        await engine.run_ddl("SELECT 1")
    except Exception:
        logger.warning("database health check failed", exc_info=True)
        return False
    return True


async def migrate() -> None:
    """Apply every domain's migrations, in dependency order."""
    protect_sqlite_file(current_engine())
    result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")


class WideningMigration(MigrationManager):
    """A migration that widens columns from INTEGER to BIGINT. PostgreSQL alters them; SQLite's
    integers hold 64 bits already and it cannot ALTER a column's type, so there the change is
    only recorded (Piccolo replays every migration to know the schema) and not run."""

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        if not isinstance(current_engine(), SQLiteEngine):
            await super()._run_alter_columns(backwards=backwards)


def reading(engine: Engine[Any] | None = None) -> Any:
    """Several reads seeing one state of the database; on SQLite it takes no write lock."""
    return begin(engine or current_engine(), TransactionType.deferred)


def transaction(engine: Engine[Any] | None = None) -> Any:
    """One transaction per user action; on SQLite it takes the write lock up front."""
    return begin(engine or current_engine(), TransactionType.immediate)
