from piccolo.conf.apps import AppConfig

from server.accounts.tables import AuditEvent
from server.admin.tables import CohortMember, ProvinceTarget, TrainingCohort
from server.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="admin",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "admin"),
    table_classes=[AuditEvent, ProvinceTarget, TrainingCohort, CohortMember],
    migration_dependencies=["server.accounts.piccolo_app"],
)
