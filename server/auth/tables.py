from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Bytea,
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


class Passkey(Table):
    id: Serial
    public_id = UUID(default=UUID4(), unique=True)
    account = ForeignKey(references=Account, index=True)
    credential_id = Varchar(length=1400, unique=True)  # base64url
    public_key = Bytea()
    sign_count = Integer(default=0)
    transports = JSON(default="[]")
    aaguid = Varchar(length=36, default="")
    backup_eligible = Boolean(default=False)
    backed_up = Boolean(default=False)
    label = Varchar(length=60)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)


class Session(Table):
    """A signed-in device. The cookie holds a random token; only its hash is stored."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True)
    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(references=Account, index=True)
    device = Varchar(length=200, default="")
    method = Varchar(length=16, default="passkey")
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class Challenge(Table):
    """A WebAuthn challenge: single use, bound to the browser that asked, short-lived."""

    id: Serial
    challenge = Varchar(length=128, unique=True)
    purpose = Varchar(length=16)
    browser_hash = Varchar(length=64, index=True)
    account = ForeignKey(references=Account, null=True)
    pending = JSON(default="{}")
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
