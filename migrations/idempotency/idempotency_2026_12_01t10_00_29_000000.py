"""One key per account: the unique index that INSERT ... ON CONFLICT DO NOTHING relies on so a
concurrent duplicate finds the key taken. Piccolo declares only single-column indexes, so this
one is raw SQL (the same on SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T10:00:29:000000"
VERSION = "1.38.0"
DESCRIPTION = "one idempotency key per account"

CREATE = (
    "CREATE UNIQUE INDEX IF NOT EXISTS idempotency_key_account_key ON idempotency_key "
    "(account, key)"
)
DROP = "DROP INDEX IF EXISTS idempotency_key_account_key"


async def create_index() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(CREATE)


async def drop_index() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(DROP)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="idempotency", description=DESCRIPTION)
    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
