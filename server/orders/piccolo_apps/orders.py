from piccolo.conf.apps import AppConfig

from server.orders.tables import Offer, Order, OrderDraft, OrderPhoto
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="orders",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "orders"),
    table_classes=[Order, OrderDraft, OrderPhoto, Offer],
    migration_dependencies=["server.accounts.piccolo_app", "server.media.piccolo_app"],
)
