from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

from server.db import current_engine


async def test_tables_and_migrations_agree(clean_database: str) -> None:
    """A new auto migration would be empty: every table change has its migration."""
    for app_config in Finder().get_app_configs():
        statements = await AutoMigrationManager(auto_input="y").get_alter_statements(
            app_config=app_config
        )
        pending = [s for alter in statements for s in alter.statements]
        assert pending == [], f"{app_config.app_name} needs a migration: {pending}"


async def test_migrations_created_every_table(clean_database: str) -> None:
    for table in Finder().get_table_classes():
        assert await table.table_exists().run(), table._meta.tablename
    assert current_engine().engine_type in ("sqlite", "postgres")
