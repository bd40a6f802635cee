"""Photos nobody can reach any more (a replaced logo, a preview upload never published, the
photos of a deleted draft) are removed, rows and files, by the housekeeping tick. Each domain
that owns a kind of photo registers which of them are still in use: see `photo_usage`. Files
left without a row (the storage was down when they were to go) are found by listing the
storage, less often."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from piccolo.query import Select

from server.media.services import SIZES, MediaStore, delete_files
from server.media.storage import StoredFile
from server.media.tables import Photo

# An upload is attached within its request, or saved with a draft; a day leaves room for a
# preview the designer comes back to.
KEEP_UNUSED_FOR = timedelta(days=1)
BATCH = 500
# Listing a bucket is one request per 1,000 files: a few times a day is enough for leftovers.
STRAY_SWEEP_EVERY = timedelta(hours=6)


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
    await delete_files(store, [row["public_id"] for row in deleted])
    return [int(row["id"]) for row in deleted]


async def sweep_stray_files(store: MediaStore, at: datetime) -> int:
    """Delete the files whose photo row is gone, once older than KEEP_UNUSED_FOR: a file is
    written after its row is inserted, so a younger one may belong to an upload whose
    transaction has not committed yet. Returns how many files went."""
    before = at - KEEP_UNUSED_FOR
    old = await asyncio.to_thread(
        lambda: [stored for stored in store.storage.list_files() if stored.modified < before]
    )
    removed = 0
    for start in range(0, len(old), BATCH):
        strays = await without_rows(old[start : start + BATCH])
        for stored in strays:
            await asyncio.to_thread(store.storage.delete, stored.key)
        removed += len(strays)
    return removed


async def without_rows(files: list[StoredFile]) -> list[StoredFile]:
    """The photo files among these whose row is gone; any other file is left alone."""
    owners: dict[StoredFile, UUID] = {}
    for stored in files:
        try:
            public_id = UUID(stored.key[:36])
        except ValueError:
            continue
        if stored.key in {MediaStore.key(public_id, size) for size in SIZES}:
            owners[stored] = public_id
    if not owners:
        return []
    rows = await Photo.select(Photo.public_id).where(Photo.public_id.is_in(list(owners.values())))
    present = {row["public_id"] for row in rows}
    return [stored for stored, public_id in owners.items() if public_id not in present]
