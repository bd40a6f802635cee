"""Suspending and reinstating tailors, designers and brands, always with a reason on the
record."""

from __future__ import annotations

from server.accounts.tables import Account, AccountStatus, AuditEvent, Role
from server.admin.refusals import AdminError
from server.auth.sessions import revoke_all_sessions
from server.db import transaction
from server.orders.posting.withdrawal import withdraw_open_orders
from server.tailors.tables import TailorProfile
from server.text import typed_text

REASON_MIN = 5
REASON_MAX = 1000


def clean_reason(reason: str) -> str:
    reason = typed_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise AdminError("reason_required", "reason")
    return reason


async def set_suspended(account_id: int, admin_id: int, suspend: bool, reason: str) -> None:
    """Suspension signs the person out everywhere; a tailor leaves dispatch, a designer's open
    orders are withdrawn. Reinstating restores access, not what was withdrawn."""
    reason = clean_reason(reason)
    before, after = (
        (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
        if suspend
        else (AccountStatus.SUSPENDED, AccountStatus.ACTIVE)
    )
    async with transaction():
        changed = await (
            Account.update({Account.status: after})
            .where(
                (Account.id == account_id)
                & Account.role.is_in([Role.TAILOR, Role.DESIGNER])
                & (Account.status == before)
            )
            .returning(Account.id, Account.role)
        )
        if not changed:
            raise AdminError("already_suspended" if suspend else "not_suspended")
        if suspend:
            await revoke_all_sessions(account_id)
            await TailorProfile.update({TailorProfile.available: False}).where(
                TailorProfile.account == account_id
            )
            if changed[0]["role"] == Role.DESIGNER:
                await withdraw_open_orders(account_id)
        await AuditEvent.insert(
            AuditEvent(
                subject=account_id,
                actor=admin_id,
                kind="suspended" if suspend else "reinstated",
                reason=reason,
            )
        )
