"""The outbox becomes channel-neutral: `push_delivery` is renamed `delivery`, in place, so every
pending delivery is kept with its id, attempts and due time. Each row gets a `channel` (all of
them push) and its subscription column is renamed `push_subscription`, the push channel's own
address (still cascading when the subscription goes).

Piccolo renames the table and the column; the names PostgreSQL and SQLite gave its indexes,
constraints and id sequence follow here, so they read as Piccolo would name them for a new
`delivery` table (and a later migration of these columns finds them)."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-01T16:05:10:291735"
VERSION = "1.38.0"
DESCRIPTION = "one outbox for every channel"

# (old index name, new index name, column in the renamed table)
INDEXES = [
    ("push_delivery_notification", "delivery_notification", "notification"),
    ("push_delivery_subscription", "delivery_push_subscription", "push_subscription"),
    ("push_delivery_status", "delivery_status", "status"),
    ("push_delivery_next_attempt_at", "delivery_next_attempt_at", "next_attempt_at"),
]
POSTGRES_NAMES = [
    ("INDEX", "push_delivery_pkey", "delivery_pkey"),
    *[("INDEX", old, new) for old, new, _column in INDEXES],
    ("SEQUENCE", "push_delivery_id_seq", "delivery_id_seq"),
]
POSTGRES_CONSTRAINTS = [
    ("push_delivery_notification_fkey", "delivery_notification_fkey"),
    ("push_delivery_subscription_fkey", "delivery_push_subscription_fkey"),
]


async def rename_objects(*, backwards: bool = False) -> None:
    """Indexes, constraints and the sequence of the table `delivery` (as it is named when this
    runs), from the old names to the new ones or back."""
    engine = engine_finder()
    assert engine is not None

    def names(old: str, new: str) -> tuple[str, str]:
        return (new, old) if backwards else (old, new)

    if isinstance(engine, SQLiteEngine):  # SQLite cannot rename an index: it is made again
        for old, new, column in INDEXES:
            source, target = names(old, new)
            await engine.run_ddl(f"DROP INDEX IF EXISTS {source}")
            await engine.run_ddl(f'CREATE INDEX IF NOT EXISTS {target} ON "delivery" ("{column}")')
        return
    for kind, old, new in POSTGRES_NAMES:
        source, target = names(old, new)
        await engine.run_ddl(f"ALTER {kind} IF EXISTS {source} RENAME TO {target}")
    for old, new in POSTGRES_CONSTRAINTS:
        source, target = names(old, new)
        await engine.run_ddl(f'ALTER TABLE "delivery" RENAME CONSTRAINT {source} TO {target}')


async def restore_old_names() -> None:
    await rename_objects(backwards=True)


class OutboxMigration(MigrationManager):
    """Piccolo's renames, then the renamed table's objects. (Going backwards, the raw step
    restores the old names first, while the table is still `delivery`.)"""

    async def _run_rename_columns(self, backwards: bool = False) -> None:
        await super()._run_rename_columns(backwards=backwards)
        if not backwards:
            await rename_objects()


async def forwards() -> MigrationManager:
    manager = OutboxMigration(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    manager.rename_table(
        old_class_name="PushDelivery",
        old_tablename="push_delivery",
        new_class_name="Delivery",
        new_tablename="delivery",
        schema=None,
    )

    manager.rename_column(
        table_class_name="Delivery",
        tablename="delivery",
        old_column_name="subscription",
        new_column_name="push_subscription",
        old_db_column_name="subscription",
        new_db_column_name="push_subscription",
        schema=None,
    )

    manager.add_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="channel",
        db_column_name="channel",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 12,
            "default": "push",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": Enum("Channel", {"PUSH": "push"}),
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_raw_backwards(restore_old_names)
    return manager
