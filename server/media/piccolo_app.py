from piccolo.conf.apps import AppConfig

from server.media.tables import Photo
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="media",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "media"),
    table_classes=[Photo],
    migration_dependencies=["server.accounts.piccolo_app"],
)
