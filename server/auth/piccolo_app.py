from piccolo.conf.apps import AppConfig

from server.auth.tables import Challenge, Passkey, Session
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="auth",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "auth"),
    table_classes=[Passkey, Session, Challenge],
    migration_dependencies=["server.accounts.piccolo_app"],
)
