"""Photos nobody can reach any more (a replaced logo, a preview upload never published, the
photos of a deleted draft) are removed, rows and files, by the housekeeping tick. Each domain
that owns a kind of photo registers which of them are still in use: see `photo_usage`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.query import Select

from server.media.services import MediaStore
from server.media.tables import Photo

# An upload is attached within its request, or saved with a draft; a day leaves room for a
# preview the designer comes back to.
KEEP_UNUSED_FOR = timedelta(days=1)
BATCH = 500


@dataclass(frozen=True)
class Usage:
    attached: Callable[[], Select]  # the ids in use, as a subquery (no NULLs)
    # Of these unattached rows, the ids something else still holds (a saved draft).
    held: Callable[[list[dict[str, Any]]], Awaitable[set[int]]] | None = None


USAGES: dict[str, Usage] = {}


def photo_usage(kind: str, usage: Usage) -> None:
    USAGES[kind] = usage


async def unused_photos(before: datetime) -> list[dict[str, Any]]:
    """Photos of a registered kind, uploaded before `before`, that nothing uses."""
    unused: list[dict[str, Any]] = []
    for kind, usage in USAGES.items():
        rows = await (
            Photo.select(Photo.id, Photo.public_id, Photo.owner)
            .where(
                (Photo.kind == kind)
                & (Photo.created_at < before)
                & Photo.id.not_in(usage.attached())
            )
            .order_by(Photo.id)
            .limit(BATCH)
        )
        held = await usage.held(rows) if usage.held and rows else set()
        unused += [row for row in rows if row["id"] not in held]
    return unused


async def sweep_unused_photos(store: MediaStore, at: datetime) -> list[int]:
    """Delete the rows, then the files of the rows this process deleted (two workers never
    both count one photo). Returns the deleted photo ids."""
    unused = await unused_photos(at - KEEP_UNUSED_FOR)
    if not unused:
        return []
    deleted = await (
        Photo.delete()
        .where(Photo.id.is_in([row["id"] for row in unused]))
        .returning(Photo.id, Photo.public_id)
    )
    for row in deleted:
        await asyncio.to_thread(store.delete, row["public_id"])
    return [int(row["id"]) for row in deleted]
