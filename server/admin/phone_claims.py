"""A WhatsApp number registered by someone who does not own it: what the admin sees about the
account holding it, and releasing the number so the real owner can be enrolled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.accounts.tables import Account, AuditEvent, Role
from server.admin.moderation import clean_reason
from server.admin.refusals import AdminError
from server.auth.sessions import revoke_all_sessions
from server.auth.tables import Passkey
from server.db import transaction
from server.orders.tables import Order
from server.phones import InvalidPhoneNumber, is_whatsapp_number, normalize_phone, released_phone
from server.tailors.tables import TailorProfile

RELEASABLE_ROLES = (Role.TAILOR, Role.DESIGNER)


@dataclass(frozen=True)
class PhoneClaim:
    """What tells a real account from a number taken by mistake or on purpose."""

    holds_number: bool
    since: datetime
    passkeys: int
    last_sign_in: datetime | None
    orders: int
    verification: str | None  # a tailor's certificate check, None for a designer
    released_at: datetime | None  # when an admin last released a number from this account
    releasable: bool


async def holder_of(raw_phone: str) -> dict[str, Any] | None:
    """The account holding this number, for the enrolment screen."""
    try:
        phone = normalize_phone(raw_phone)
    except InvalidPhoneNumber:
        return None
    row: dict[str, Any] | None = (
        await Account.select(Account.public_id, Account.name, Account.created_at)
        .where(Account.phone == phone)
        .first()
    )
    return row


async def phone_claim(account: dict[str, Any]) -> PhoneClaim:
    account_id = account["id"]
    passkeys = await Passkey.select(Passkey.last_used_at).where(Passkey.account == account_id)
    used = [row["last_used_at"] for row in passkeys if row["last_used_at"] is not None]
    orders = await Order.count().where(
        (Order.designer == account_id) | (Order.assigned_tailor == account_id)
    )
    profile = (
        await TailorProfile.select(TailorProfile.verification)
        .where(TailorProfile.account == account_id)
        .first()
    )
    released = (
        await AuditEvent.select(AuditEvent.created_at)
        .where((AuditEvent.subject == account_id) & (AuditEvent.kind == "phone_released"))
        .order_by(AuditEvent.created_at, ascending=False)
        .first()
    )
    holds = is_whatsapp_number(account["phone"])
    return PhoneClaim(
        holds_number=holds,
        since=account["created_at"],
        passkeys=len(passkeys),
        last_sign_in=max(used) if used else None,
        orders=int(orders),
        verification=profile["verification"] if profile else None,
        released_at=released["created_at"] if released else None,
        releasable=holds and account["role"] in RELEASABLE_ROLES,
    )


async def release_phone(account_id: int, admin_id: int, reason: str) -> str:
    """The account keeps its passkeys, orders and history but no longer holds the number (so
    the owner can be enrolled with it), and is signed out everywhere. Returns the number."""
    reason = clean_reason(reason)
    async with transaction():
        account = (
            await Account.select(Account.phone, Account.role)
            .where(Account.id == account_id)
            .first()
        )
        if account is None or account["role"] not in RELEASABLE_ROLES:
            raise AdminError("not_releasable")
        phone = account["phone"]
        if not is_whatsapp_number(phone):
            raise AdminError("already_released")
        released = await (
            Account.update({Account.phone: released_phone(account_id)})
            .where((Account.id == account_id) & (Account.phone == phone))
            .returning(Account.id)
        )
        if not released:
            raise AdminError("already_released")
        await revoke_all_sessions(account_id)
        # Nobody can reach a tailor without a number: out of dispatch until it is sorted out.
        await TailorProfile.update({TailorProfile.available: False}).where(
            TailorProfile.account == account_id
        )
        await AuditEvent.insert(
            AuditEvent(
                subject=account_id,
                actor=admin_id,
                kind="phone_released",
                reason=f"{phone}: {reason}",
            )
        )
    return str(phone)
