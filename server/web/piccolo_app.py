from piccolo.conf.apps import AppConfig

from server.settings import PROJECT_ROOT
from server.web.tables import RateLimitCounter

APP_CONFIG = AppConfig(
    app_name="web",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "web"),
    table_classes=[RateLimitCounter],
    migration_dependencies=[],
)
