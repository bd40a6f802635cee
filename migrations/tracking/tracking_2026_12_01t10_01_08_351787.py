from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Integer

from server.db import WideningMigration

ID = "2026-12-01T10:01:08:351787"
VERSION = "1.38.0"
DESCRIPTION = "Rupiah amounts as 64-bit integers"


async def forwards():
    manager = WideningMigration(
        migration_id=ID, app_name="tracking", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Payment",
        tablename="payment",
        column_name="amount",
        db_column_name="amount",
        params={},
        old_params={},
        column_class=BigInt,
        old_column_class=Integer,
        schema=None,
    )

    return manager
