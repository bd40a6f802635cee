from piccolo.conf.apps import AppConfig

from server.idempotency.tables import IdempotencyKey
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="idempotency",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "idempotency"),
    table_classes=[IdempotencyKey],
    migration_dependencies=["server.accounts.piccolo_app"],
)
