from piccolo.conf.apps import AppConfig

from server.orders.tables import Cancellation, Message, OrderEvent, Payment, Review
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="tracking",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "tracking"),
    table_classes=[OrderEvent, Payment, Message, Review, Cancellation],
    migration_dependencies=[
        "server.accounts.piccolo_app",
        "server.media.piccolo_app",
        "server.orders.piccolo_apps.orders",
    ],
)
