from piccolo.conf.apps import AppConfig

from server.notifications.tables import (
    Delivery,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "notifications"),
    table_classes=[PushSubscription, Notification, Delivery, NotificationPreference],
    migration_dependencies=["server.accounts.piccolo_app", "server.auth.piccolo_app"],
)
