from enum import StrEnum

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
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
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table

from server.accounts.tables import Account
from server.media.tables import Photo


class Verification(StrEnum):
    INCOMPLETE = "incomplete"  # no certificate submitted yet
    PENDING = "pending"  # waiting for an admin
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"


class TailorProfile(Table):
    id: Serial
    account = ForeignKey(references=Account, unique=True, index=True)
    province_code = Varchar(length=8, null=True, default=None)
    city_code = Varchar(length=8, null=True, default=None, index=True)
    # Stored coarsened (3 decimals, about 100 m): a home address is not ours to keep.
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    h3_cell = Varchar(length=16, null=True, default=None, index=True)
    location_source = Varchar(length=8, default="city")
    service_radius_km = Integer(default=10)
    equipment = JSON(default="[]")
    weekly_capacity = Integer(default=0)
    minimum_order = Integer(default=1)
    bio = Text(default="")
    available = Boolean(default=False)
    verification = Varchar(length=16, choices=Verification, default=Verification.INCOMPLETE)
    certificate_expires_on = Date(null=True, default=None)
    rating_average = Float(null=True, default=None)
    rating_count = Integer(default=0)
    completed_orders = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


class TailorSkill(Table):
    """One row per garment category a tailor sews: an indexed join for dispatch."""

    id: Serial
    profile = ForeignKey(references=TailorProfile, index=True)
    category = Varchar(length=20, index=True)


class CertificateStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Certificate(Table):
    """An SKKNI competency certificate as the tailor submitted it, and the admin's decision."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    account = ForeignKey(references=Account, index=True)
    number = Varchar(length=80)
    scheme = Varchar(length=160)
    issuer = Varchar(length=160)
    issued_on = Date()
    expires_on = Date()
    photo = ForeignKey(references=Photo, null=True, on_delete=OnDelete.set_null)
    status = Varchar(length=16, choices=CertificateStatus, default=CertificateStatus.PENDING)
    submitted_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    decision_reason = Text(default="")
    reminded_at = Timestamptz(null=True, default=None)
