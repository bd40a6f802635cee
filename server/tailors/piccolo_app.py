from piccolo.conf.apps import AppConfig

from server.settings import PROJECT_ROOT
from server.tailors.tables import Certificate, TailorProfile, TailorSkill

APP_CONFIG = AppConfig(
    app_name="tailors",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "tailors"),
    table_classes=[TailorProfile, TailorSkill, Certificate],
    migration_dependencies=["server.accounts.piccolo_app", "server.media.piccolo_app"],
)
