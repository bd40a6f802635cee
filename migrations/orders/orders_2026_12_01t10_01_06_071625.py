from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Integer

from server.db import WideningMigration

ID = "2026-12-01T10:01:06:071625"
VERSION = "1.38.0"
DESCRIPTION = "Rupiah amounts as 64-bit integers"


async def forwards():
    manager = WideningMigration(
        migration_id=ID, app_name="orders", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Order",
        tablename="order",
        column_name="budget_per_piece",
        db_column_name="budget_per_piece",
        params={},
        old_params={},
        column_class=BigInt,
        old_column_class=Integer,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Order",
        tablename="order",
        column_name="agreed_price_per_piece",
        db_column_name="agreed_price_per_piece",
        params={},
        old_params={},
        column_class=BigInt,
        old_column_class=Integer,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Offer",
        tablename="offer",
        column_name="price_per_piece",
        db_column_name="price_per_piece",
        params={},
        old_params={},
        column_class=BigInt,
        old_column_class=Integer,
        schema=None,
    )

    return manager
