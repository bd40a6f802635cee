from enum import StrEnum

from piccolo.columns import UUID, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table


class Role(StrEnum):
    TAILOR = "tailor"
    DESIGNER = "designer"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"  # anonymised at the person's request (server.privacy.erasure)


class Account(Table):
    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    role = Varchar(length=16, choices=Role)
    name = Varchar(length=120)
    phone = Varchar(length=20, unique=True, index=True)
    locale = Varchar(length=8, null=True, default=None)
    timezone = Varchar(length=40, default="Asia/Jakarta")
    status = Varchar(length=16, choices=AccountStatus, default=AccountStatus.ACTIVE)
    # The WebAuthn user handle: random, never the row id (base64url of 32 bytes).
    webauthn_user_id = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Set when the person deleted their account: the row stays, anonymised, so the other
    # party's orders and the programme's figures still add up (server.privacy.erasure).
    deleted_at = Timestamptz(null=True, default=None)


class RecoveryCode(Table):
    id: Serial
    account = ForeignKey(references=Account)
    code_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    used_at = Timestamptz(null=True, default=None)


class EnrolmentLink(Table):
    """A one-time link to create a passkey for an account (lost phone, training sessions)."""

    id: Serial
    account = ForeignKey(references=Account)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class AuditEvent(Table):
    """Who did what to whose account, when and why: verifications, suspensions. Part of the
    admin's Piccolo app (its migrations), kept here because every domain that decides about
    an account writes to it."""

    id: Serial
    subject = ForeignKey(references=Account, index=True)
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    kind = Varchar(length=40)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
