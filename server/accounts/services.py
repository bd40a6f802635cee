"""Accounts: who someone is, their recovery codes and enrolment links. Framework-free."""

from __future__ import annotations

import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from server.accounts.refusals import AccountError
from server.accounts.tables import Account, AccountStatus, EnrolmentLink, RecoveryCode, Role
from server.accounts.tokens import (
    hash_recovery_code,
    hash_token,
    new_recovery_code,
    new_token,
)
from server.clock import now
from server.db import transaction
from server.phones import InvalidPhoneNumber, normalize_phone
from server.text import typed_text

RECOVERY_CODE_COUNT = 10
ENROLMENT_LINK_LIFETIME = timedelta(hours=24)
NAME_MAX = 120
SELF_SERVICE_ROLES = (Role.TAILOR, Role.DESIGNER)


@dataclass(frozen=True)
class Registration:
    role: Role
    name: str
    phone: str


def new_webauthn_user_id() -> str:
    return urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def validate_registration(role: str, name: str, phone: str, *, admin: bool = False) -> Registration:
    allowed = [*SELF_SERVICE_ROLES, Role.ADMIN] if admin else SELF_SERVICE_ROLES
    if role not in allowed:
        raise AccountError("invalid_role", "role")
    name = " ".join(typed_text(name).split())
    if not 2 <= len(name) <= NAME_MAX:
        raise AccountError("invalid_name", "name")
    try:
        phone = normalize_phone(phone)
    except InvalidPhoneNumber:
        raise AccountError("invalid_phone", "phone") from None
    return Registration(role=Role(role), name=name, phone=phone)


async def phone_is_taken(phone: str) -> bool:
    return bool(await Account.exists().where(Account.phone == phone))


async def insert_account(registration: Registration, webauthn_user_id: str) -> int:
    """Insert inside the caller's transaction; a taken phone is refused."""
    if await phone_is_taken(registration.phone):
        raise AccountError("phone_taken", "phone")
    rows = await Account.insert(
        Account(
            role=registration.role,
            name=registration.name,
            phone=registration.phone,
            webauthn_user_id=webauthn_user_id,
        )
    ).returning(Account.id)
    return int(rows[0]["id"])


async def get_account(account_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await Account.select().where(Account.id == account_id).first()
    return row


async def set_locale(account_id: int, locale: str) -> None:
    await Account.update({Account.locale: locale}).where(Account.id == account_id)


# Recovery codes ------------------------------------------------------------------------------


async def issue_recovery_codes(account_id: int, key: bytes) -> list[str]:
    """Ten fresh codes; any older ones stop working. Only their HMACs under `key` are kept."""
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    async with transaction():
        await RecoveryCode.delete().where(RecoveryCode.account == account_id)
        await RecoveryCode.insert(
            *[
                RecoveryCode(account=account_id, code_hash=hash_recovery_code(code, key))
                for code in codes
            ]
        )
    return codes


# The home screen shows this on every visit: counted in SQL, the statement written once.
RECOVERY_CODE_STATUS = f"""
SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END), 0) AS unused
FROM "{RecoveryCode._meta.tablename}" WHERE account = {{}}
"""  # noqa: S608 (the table's name)


async def recovery_code_status(account_id: int) -> tuple[int, int]:
    """(unused, total) recovery codes of the account."""
    row = (await RecoveryCode.raw(RECOVERY_CODE_STATUS, account_id))[0]
    return int(row["unused"]), int(row["total"])


async def redeem_recovery_code(phone: str, code: str, key: bytes) -> int:
    """The account whose unused code this is; the code is spent. Same refusal for any mistake."""
    try:
        phone = normalize_phone(phone)
    except InvalidPhoneNumber:
        raise AccountError("recovery_invalid") from None
    account = await Account.select(Account.id, Account.status).where(Account.phone == phone).first()
    if account is None:
        raise AccountError("recovery_invalid")
    async with transaction():
        spent = await (
            RecoveryCode.update({RecoveryCode.used_at: now()})
            .where(
                (RecoveryCode.account == account["id"])
                & (RecoveryCode.code_hash == hash_recovery_code(code, key))
                & RecoveryCode.used_at.is_null()
            )
            .returning(RecoveryCode.id)
        )
        if not spent:
            raise AccountError("recovery_invalid")
        if account["status"] != AccountStatus.ACTIVE:
            raise AccountError("suspended")  # rolls back: a suspended person keeps the code
    return int(account["id"])


# Enrolment links -----------------------------------------------------------------------------


async def issue_enrolment_link(account_id: int, created_by: int | None) -> str:
    token = new_token()
    await EnrolmentLink.insert(
        EnrolmentLink(
            account=account_id,
            token_hash=hash_token(token),
            created_by=created_by,
            expires_at=now() + ENROLMENT_LINK_LIFETIME,
        )
    )
    return token


async def create_invited_account(
    role: str, name: str, phone: str, created_by: int | None
) -> tuple[int, str]:
    """An account without a passkey yet (an admin, or a tailor met at a training session)."""
    registration = validate_registration(role, name, phone, admin=True)
    async with transaction():
        account_id = await insert_account(registration, new_webauthn_user_id())
        token = await issue_enrolment_link(account_id, created_by)
    return account_id, token


async def enrolment_account(token: str) -> dict[str, Any]:
    """The account a valid (unused, unexpired) enrolment link is for."""
    link = await (
        EnrolmentLink.select(EnrolmentLink.account, EnrolmentLink.expires_at, EnrolmentLink.used_at)
        .where(EnrolmentLink.token_hash == hash_token(token))
        .first()
    )
    if link is None or link["used_at"] is not None or link["expires_at"] <= now():
        raise AccountError("enrolment_invalid")
    account = await get_account(link["account"])
    if account is None or account["status"] != AccountStatus.ACTIVE:
        raise AccountError("enrolment_invalid")
    return account


async def consume_enrolment_link(token_hash: str) -> int:
    """Spend the link (inside the caller's transaction); exactly one use ever wins."""
    rows = await (
        EnrolmentLink.update({EnrolmentLink.used_at: now()})
        .where(
            (EnrolmentLink.token_hash == token_hash)
            & EnrolmentLink.used_at.is_null()
            & (EnrolmentLink.expires_at > now())
        )
        .returning(EnrolmentLink.account)
    )
    if not rows:
        raise AccountError("enrolment_invalid")
    return int(rows[0]["account"])
