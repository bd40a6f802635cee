"""Deleting an account at its owner's request (UU PDP No. 27/2022, the right to erasure).

The account row stays, anonymised, so the other party's orders and the programme's figures
still add up: its name becomes `DELETED_NAME` (shown translated by `display_name`), its number
a placeholder that is no WhatsApp number; everything that identifies or reaches the person is
deleted. What is kept, and why, is on the privacy page (components/pages/privacy.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.accounts.services import new_webauthn_user_id
from server.accounts.tables import (
    Account,
    AccountStatus,
    AuditEvent,
    EnrolmentLink,
    RecoveryCode,
    Role,
)
from server.auth.tables import Challenge, Passkey, Session
from server.clock import now
from server.db import transaction
from server.designers.tables import DesignerProfile
from server.idempotency.tables import IdempotencyKey
from server.media.services import MediaStore, delete_files
from server.media.tables import Photo
from server.notifications.tables import Notification, NotificationPreference, PushSubscription
from server.orders.tables import (
    Offer,
    OfferStatus,
    Order,
    OrderDraft,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from server.tailors.tables import Certificate, CertificateStatus, TailorProfile, Verification
from server.web.deleted import DELETED_NAME, deleted_phone


@dataclass(frozen=True)
class Blockers:
    """What the person must finish before the account can go (the counts of each)."""

    in_production: int = 0
    unpaid: int = 0
    open_orders: int = 0
    live_offers: int = 0
    last_admin: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.in_production
            or self.unpaid
            or self.open_orders
            or self.live_offers
            or self.last_admin
        )


class DeletionRefused(Exception):
    def __init__(self, blockers: Blockers) -> None:
        super().__init__("account deletion refused")
        self.blockers = blockers


async def deletion_blockers(account_id: int, role: Role) -> Blockers:
    """An order in production, a completed one whose payments are not both confirmed, an open
    order (designer) or a live offer (tailor) still involves the other party: finish it first."""
    party = (Order.designer == account_id) | (Order.assigned_tailor == account_id)
    in_production = await Order.count().where(party & (Order.status == OrderStatus.ASSIGNED))
    unpaid = await Payment.count().where(
        ((Payment.order.designer == account_id) | (Payment.order.assigned_tailor == account_id))
        & (Payment.order.status == OrderStatus.COMPLETED)
        & (Payment.status != PaymentStatus.CONFIRMED)
    )
    open_orders = await Order.count().where(
        (Order.designer == account_id) & (Order.status == OrderStatus.OPEN)
    )
    live_offers = await Offer.count().where(
        (Offer.tailor == account_id) & (Offer.status == OfferStatus.LIVE)
    )
    last_admin = False
    if role == Role.ADMIN:
        others = await Account.count().where(
            (Account.role == Role.ADMIN)
            & (Account.status == AccountStatus.ACTIVE)
            & (Account.id != account_id)
        )
        last_admin = others == 0
    return Blockers(in_production, unpaid, open_orders, live_offers, last_admin)


async def delete_account(account_id: int, store: MediaStore) -> None:
    """Erase the person in one transaction; their photo files go from the storage after it
    commits (or, if the storage is down then, with the stray-file sweep).
    Refused (nothing changes) while `deletion_blockers` finds anything."""
    async with transaction():
        account = (
            await Account.select(Account.id, Account.role, Account.status)
            .where((Account.id == account_id) & Account.deleted_at.is_null())
            .first()
        )
        if account is None:
            return
        blockers = await deletion_blockers(account_id, Role(account["role"]))
        if blockers:
            raise DeletionRefused(blockers)
        photos = await erase_personal_data(account_id)
    await delete_files(store, photos)


async def erase_personal_data(account_id: int) -> list[Any]:
    """Inside the caller's transaction. Returns the public ids of the deleted photos."""
    await Passkey.delete().where(Passkey.account == account_id)
    await Session.delete().where(Session.account == account_id)
    await Challenge.delete().where(Challenge.account == account_id)
    await RecoveryCode.delete().where(RecoveryCode.account == account_id)
    await EnrolmentLink.delete().where(EnrolmentLink.account == account_id)
    await PushSubscription.delete().where(PushSubscription.account == account_id)
    await Notification.delete().where(Notification.account == account_id)
    await NotificationPreference.delete().where(NotificationPreference.account == account_id)
    await IdempotencyKey.delete().where(IdempotencyKey.account == account_id)
    await OrderDraft.delete().where(OrderDraft.designer == account_id)
    # Profile texts and exact places go; the province and city stay, as the programme counts
    # tailors and buyers per region, and so do the skills, capacity and verification status.
    await TailorProfile.update(
        {
            TailorProfile.latitude: None,
            TailorProfile.longitude: None,
            TailorProfile.h3_cell: None,
            TailorProfile.location_source: "city",
            TailorProfile.bio: "",
            TailorProfile.available: False,
        }
    ).where(TailorProfile.account == account_id)
    await DesignerProfile.update(
        {DesignerProfile.business_name: "", DesignerProfile.description: ""}
    ).where(DesignerProfile.account == account_id)
    # A certificate still waiting has nobody left to verify: it leaves the admin's queue.
    await Certificate.delete().where(
        (Certificate.account == account_id) & (Certificate.status == CertificateStatus.PENDING)
    )
    await TailorProfile.update({TailorProfile.verification: Verification.INCOMPLETE}).where(
        (TailorProfile.account == account_id) & (TailorProfile.verification == Verification.PENDING)
    )
    await Certificate.update({Certificate.number: ""}).where(Certificate.account == account_id)
    # Every photo the person uploaded (portfolio, certificate, logo, stage photos, transfer
    # proofs, order references): the rows that pointed at them are set to no photo.
    photos = await Photo.delete().where(Photo.owner == account_id).returning(Photo.public_id)
    await Account.update(
        {
            Account.name: DELETED_NAME,
            Account.phone: deleted_phone(account_id),
            Account.locale: None,
            Account.status: AccountStatus.DELETED,
            Account.webauthn_user_id: new_webauthn_user_id(),
            Account.deleted_at: now(),
        }
    ).where(Account.id == account_id)
    await AuditEvent.insert(AuditEvent(subject=account_id, actor=None, kind="account_deleted"))
    return [row["public_id"] for row in photos]
