"""The in-app notification list: nothing is lost when a phone's battery saver eats a push."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from server.notifications.tables import Notification

PAGE_SIZE = 30


async def unread_count(account_id: int) -> int:
    return int(
        await Notification.count().where(
            (Notification.account == account_id) & Notification.read_at.is_null()
        )
    )


async def recent(account_id: int, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Notification.select()
        .where(Notification.account == account_id)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
    )
    return rows


async def open_notification(account_id: int, public_id: UUID) -> str | None:
    """Mark it read and return where it leads; None if it is not this person's."""
    rows = await (
        Notification.update({Notification.read_at: datetime.now(UTC)})
        .where((Notification.account == account_id) & (Notification.public_id == public_id))
        .returning(Notification.url)
    )
    return str(rows[0]["url"]) if rows else None


async def mark_all_read(account_id: int) -> None:
    await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
        (Notification.account == account_id) & Notification.read_at.is_null()
    )
