from enum import StrEnum

from piccolo.columns import (
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import Account
from server.media.tables import Photo


class BusinessType(StrEnum):
    DESIGNER = "designer"
    BRAND = "brand"
    INDUSTRY = "industry"


class DesignerProfile(Table):
    id: Serial
    account = ForeignKey(references=Account, unique=True, index=True)
    business_name = Varchar(length=120, default="")
    business_type = Varchar(length=16, choices=BusinessType, default=BusinessType.DESIGNER)
    province_code = Varchar(length=8, null=True, default=None)
    city_code = Varchar(length=8, null=True, default=None)
    description = Text(default="")
    rating_average = Float(null=True, default=None)
    rating_count = Integer(default=0)
    completed_orders = Integer(default=0)
    logo = ForeignKey(references=Photo, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())
