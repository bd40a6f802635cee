from piccolo.columns import (
    UUID,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table

from server.accounts.tables import Account


class ProvinceTarget(Table):
    """How many certified tailors the programme aims for per province ("ID": the nation)."""

    id: Serial
    province_code = Varchar(length=8, unique=True)
    target = Integer(default=0)


class TrainingCohort(Table):
    """A "Bimbingan dan Sertifikasi" training: where, when, who trains."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    name = Varchar(length=120)
    place = Varchar(length=160)
    province_code = Varchar(length=8, null=True, default=None)
    starts_on = Date()
    ends_on = Date()
    trainer = Varchar(length=120, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class CohortMember(Table):
    id: Serial
    cohort = ForeignKey(references=TrainingCohort, index=True)
    account = ForeignKey(references=Account, index=True)
    added_at = Timestamptz(default=TimestamptzNow())
