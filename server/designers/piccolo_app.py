from piccolo.conf.apps import AppConfig

from server.designers.tables import DesignerProfile
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="designers",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "designers"),
    table_classes=[DesignerProfile],
    migration_dependencies=["server.accounts.piccolo_app", "server.media.piccolo_app"],
)
