from piccolo.conf.apps import AppConfig

from server.orders.tables import DispatchDecision
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="dispatch",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "dispatch"),
    table_classes=[DispatchDecision],
    migration_dependencies=["server.accounts.piccolo_app", "server.orders.piccolo_apps.orders"],
)
