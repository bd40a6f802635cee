"""A person's own data as one JSON document (UU PDP No. 27/2022, the right of access).

Only what is theirs or about them: their profile, the orders they posted or worked on with
stages, payments and reviews, the offers and messages they wrote, their devices and alert
settings. The other party of an order appears by name only, as on the order page: never their
number, and never what they wrote (their messages, stage notes and offers are their own data;
alerts are listed without their text, which may quote a message). Each list is capped so one
download stays small.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from server.accounts.tables import Account, AuditEvent, RecoveryCode
from server.admin.tables import CohortMember
from server.auth.tables import Passkey, Session
from server.clock import now
from server.designers.tables import DesignerProfile
from server.media.tables import Photo
from server.notifications.tables import Notification, NotificationPreference, PushSubscription
from server.orders.tables import Message, Offer, Order, OrderEvent, Payment, Review
from server.tailors.tables import Certificate, TailorProfile, TailorSkill
from server.web.deleted import display_name

FORMAT_VERSION = 1
LIST_CAP = 2000  # orders, offers, messages, notifications…: the newest first, then stop


def serialise(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return None
    raise TypeError(type(value).__name__)


def to_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1, default=serialise).encode()


def from_json_column(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def personal_data(account_id: int) -> dict[str, Any]:
    account = await (
        Account.select(
            Account.public_id,
            Account.role,
            Account.name,
            Account.phone,
            Account.locale,
            Account.timezone,
            Account.status,
            Account.created_at,
        )
        .where(Account.id == account_id)
        .first()
    )
    orders = await orders_of(account_id)
    order_ids = [order.pop("id") for order in orders]
    return {
        "format": FORMAT_VERSION,
        "exported_at": now(),
        "list_cap": LIST_CAP,
        "account": account,
        "tailor_profile": await tailor_profile(account_id),
        "certificates": await certificates(account_id),
        "business_profile": await business_profile(account_id),
        "photos": await photos(account_id),
        "training_cohorts": await cohorts(account_id),
        "orders": await with_order_details(orders, order_ids, account_id),
        "offers_made": await offers_made(account_id),
        "messages_written": await messages_written(account_id),
        "reviews_given": await reviews(Review.author == account_id),
        "reviews_received": await reviews(Review.subject == account_id),
        "passkeys": await Passkey.select(
            Passkey.label, Passkey.created_at, Passkey.last_used_at
        ).where(Passkey.account == account_id),
        "signed_in_devices": await Session.select(
            Session.device, Session.method, Session.created_at, Session.last_seen_at
        ).where(Session.account == account_id),
        "push_devices": await PushSubscription.select(
            PushSubscription.device, PushSubscription.created_at, PushSubscription.last_success_at
        ).where(PushSubscription.account == account_id),
        "alert_preferences": await alert_preferences(account_id),
        "notifications": await Notification.select(
            Notification.kind,
            Notification.title,
            Notification.url,
            Notification.created_at,
            Notification.read_at,
        )
        .where(Notification.account == account_id)
        .order_by(Notification.id, ascending=False)
        .limit(LIST_CAP),
        "recovery_codes": await recovery_codes(account_id),
        "account_history": await AuditEvent.select(
            AuditEvent.kind, AuditEvent.reason, AuditEvent.created_at
        ).where(AuditEvent.subject == account_id),
    }


async def tailor_profile(account_id: int) -> dict[str, Any] | None:
    profile: dict[str, Any] | None = await (
        TailorProfile.select().where(TailorProfile.account == account_id).first()
    )
    if profile is None:
        return None
    skills = await TailorSkill.select(TailorSkill.category).where(
        TailorSkill.profile == profile.pop("id")
    )
    profile.pop("account")
    profile["equipment"] = from_json_column(profile["equipment"])
    profile["skills"] = sorted(row["category"] for row in skills)
    return profile


async def certificates(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Certificate.select(
        Certificate.number,
        Certificate.scheme,
        Certificate.issuer,
        Certificate.issued_on,
        Certificate.expires_on,
        Certificate.status,
        Certificate.submitted_at,
        Certificate.decided_at,
        Certificate.decision_reason,
        Certificate.photo.public_id.as_alias("photo"),
    ).where(Certificate.account == account_id)
    return rows


async def business_profile(account_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await (
        DesignerProfile.select(
            DesignerProfile.business_name,
            DesignerProfile.business_type,
            DesignerProfile.province_code,
            DesignerProfile.city_code,
            DesignerProfile.description,
            DesignerProfile.rating_average,
            DesignerProfile.rating_count,
            DesignerProfile.completed_orders,
            DesignerProfile.logo.public_id.as_alias("logo"),
        )
        .where(DesignerProfile.account == account_id)
        .first()
    )
    return row


async def photos(account_id: int) -> list[dict[str, Any]]:
    rows = await (
        Photo.select(Photo.public_id, Photo.kind, Photo.created_at)
        .where(Photo.owner == account_id)
        .order_by(Photo.id, ascending=False)
        .limit(LIST_CAP)
    )
    return [{**row, "url": f"/media/{row['public_id']}/large"} for row in rows]


async def cohorts(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await CohortMember.select(
        CohortMember.cohort.name.as_alias("name"),
        CohortMember.cohort.place.as_alias("place"),
        CohortMember.cohort.starts_on.as_alias("starts_on"),
        CohortMember.cohort.ends_on.as_alias("ends_on"),
        CohortMember.added_at,
    ).where(CohortMember.account == account_id)
    return rows


async def orders_of(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Order.select(
            Order.id,
            Order.public_id,
            Order.designer,
            Order.assigned_tailor,
            Order.designer.name.as_alias("designer_name"),
            Order.assigned_tailor.name.as_alias("tailor_name"),
            Order.category,
            Order.title,
            Order.description,
            Order.quantity,
            Order.sizes,
            Order.fabric_by,
            Order.budget_per_piece,
            Order.agreed_price_per_piece,
            Order.agreed_ready_by,
            Order.deadline,
            Order.sample_first,
            Order.province_code,
            Order.city_code,
            Order.mode,
            Order.status,
            Order.stage,
            Order.cancel_reason,
            Order.created_at,
            Order.published_at,
            Order.assigned_at,
            Order.completed_at,
        )
        .where((Order.designer == account_id) | (Order.assigned_tailor == account_id))
        .order_by(Order.id, ascending=False)
        .limit(LIST_CAP)
    )
    result = []
    for row in rows:
        mine = row.pop("designer") == account_id
        row.pop("assigned_tailor")
        designer, tailor = row.pop("designer_name"), row.pop("tailor_name")
        other = tailor if mine else designer
        result.append(
            {
                **row,
                "sizes": from_json_column(row["sizes"]),
                "your_side": "designer" if mine else "tailor",
                "other_party": display_name(other) if other else None,
            }
        )
    return result


async def with_order_details(
    orders: list[dict[str, Any]], order_ids: list[int], account_id: int
) -> list[dict[str, Any]]:
    """Each order's stages (notes only where the person wrote them) and payments record."""
    if not orders:
        return []
    stages: dict[int, list[dict[str, Any]]] = {}
    for event in await (
        OrderEvent.select(
            OrderEvent.order,
            OrderEvent.kind,
            OrderEvent.actor,
            OrderEvent.note,
            OrderEvent.courier,
            OrderEvent.tracking_number,
            OrderEvent.created_at,
        )
        .where(OrderEvent.order.is_in(order_ids))
        .order_by(OrderEvent.id)
    ):
        yours = event["actor"] == account_id
        stages.setdefault(event["order"], []).append(
            {
                "stage": event["kind"],
                "at": event["created_at"],
                "by_you": yours,
                "note": event["note"] if yours else None,
                "courier": event["courier"],
                "tracking_number": event["tracking_number"],
            }
        )
    payments: dict[int, list[dict[str, Any]]] = {}
    for payment in await Payment.select(
        Payment.order,
        Payment.kind,
        Payment.amount,
        Payment.status,
        Payment.paid_at,
        Payment.confirmed_at,
    ).where(Payment.order.is_in(order_ids)):
        payments.setdefault(payment.pop("order"), []).append(payment)
    return [
        {**order, "stages": stages.get(order_id, []), "payments": payments.get(order_id, [])}
        for order, order_id in zip(orders, order_ids, strict=True)
    ]


async def offers_made(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Offer.select(
            Offer.order.public_id.as_alias("order"),
            Offer.order.title.as_alias("order_title"),
            Offer.price_per_piece,
            Offer.ready_by,
            Offer.note,
            Offer.status,
            Offer.version,
            Offer.created_at,
            Offer.updated_at,
        )
        .where(Offer.tailor == account_id)
        .order_by(Offer.id, ascending=False)
        .limit(LIST_CAP)
    )
    return rows


async def messages_written(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Message.select(
            Message.order.public_id.as_alias("order"),
            Message.order.title.as_alias("order_title"),
            Message.body,
            Message.created_at,
        )
        .where(Message.sender == account_id)
        .order_by(Message.id, ascending=False)
        .limit(LIST_CAP)
    )
    return rows


async def reviews(condition: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Review.select(
            Review.order.public_id.as_alias("order"),
            Review.order.title.as_alias("order_title"),
            Review.stars,
            Review.comment,
            Review.created_at,
        )
        .where(condition)
        .order_by(Review.id, ascending=False)
        .limit(LIST_CAP)
    )
    return rows


async def alert_preferences(account_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await (
        NotificationPreference.select(
            NotificationPreference.disabled_kinds,
            NotificationPreference.quiet_start,
            NotificationPreference.quiet_end,
            NotificationPreference.new_orders_per_hour,
        )
        .where(NotificationPreference.account == account_id)
        .first()
    )
    if row is not None:
        row["disabled_kinds"] = from_json_column(row["disabled_kinds"])
    return row


async def recovery_codes(account_id: int) -> dict[str, int]:
    rows = await RecoveryCode.select(RecoveryCode.used_at).where(RecoveryCode.account == account_id)
    unused = sum(1 for row in rows if row["used_at"] is None)
    return {"unused": unused, "used": len(rows) - unused}
