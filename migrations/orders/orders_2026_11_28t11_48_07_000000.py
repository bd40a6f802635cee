"""Open orders by cell and category: the job feed's lookup. Piccolo declares only
single-column indexes, so this one is raw SQL (the same on SQLite and PostgreSQL). Leading
with the status lets SQLite pick it without statistics, instead of scanning every open order
through the index on status alone."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-28T11:48:07:000000"
VERSION = "1.38.0"
DESCRIPTION = "open orders by cell and category"

CREATE = (
    'CREATE INDEX IF NOT EXISTS order_status_h3_cell_category ON "order" '
    "(status, h3_cell, category)"
)
DROP = "DROP INDEX IF EXISTS order_status_h3_cell_category"


async def create_index() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(CREATE)


async def drop_index() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(DROP)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)
    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
