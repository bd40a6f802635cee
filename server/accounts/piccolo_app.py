from piccolo.conf.apps import AppConfig

from server.accounts.tables import Account, EnrolmentLink, RecoveryCode
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "accounts"),
    table_classes=[Account, RecoveryCode, EnrolmentLink],
)
