"""Storing and finding photos. Who may see a photo depends on its kind: see `access`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from server.accounts.tables import Role
from server.auth.sessions import CurrentUser
from server.media.images import DECODE_SLOTS, ProcessedImage, process_image
from server.media.refusals import ImageRejected
from server.media.storage import Storage, StorageUnavailable, open_storage
from server.media.tables import Photo
from server.settings import Settings

logger = logging.getLogger(__name__)

SIZES = ("large", "small")
# Decoding is the memory-hungry step: its own small pool bounds how many run at once in the
# process, whatever arrives; the rest wait in its queue (and the default pool stays free).
DECODER = ThreadPoolExecutor(max_workers=DECODE_SLOTS, thread_name_prefix="photo-decode")

# kind -> may this viewer (None: a visitor) see this photo row?
# Who may see a photo of one kind, given the viewer and the photo's id.
AccessRule = Callable[[CurrentUser | None, int], Awaitable[bool]]
ACCESS_RULES: dict[str, AccessRule] = {}


def access_rule(kind: str) -> Callable[[AccessRule], AccessRule]:
    """Each domain registers who may see the photos it owns."""

    def register(rule: AccessRule) -> AccessRule:
        ACCESS_RULES[kind] = rule
        return rule

    return register


@dataclass(frozen=True)
class MediaStore:
    """A photo's two renditions in the storage, named by the photo's random public id."""

    storage: Storage

    @classmethod
    def open(cls, settings: Settings) -> MediaStore:
        return cls(open_storage(settings))

    @staticmethod
    def key(public_id: UUID, size: str) -> str:
        return f"{public_id}-{size}.webp"

    def write(self, public_id: UUID, image: ProcessedImage) -> None:
        for size, rendition in (("large", image.large), ("small", image.small)):
            self.storage.put(self.key(public_id, size), rendition.data)

    def read(self, public_id: UUID, size: str) -> bytes | None:
        return self.storage.read(self.key(public_id, size))

    def delete(self, public_id: UUID) -> None:
        for size in SIZES:
            self.storage.delete(self.key(public_id, size))


async def prepare_photo(data: bytes) -> ProcessedImage:
    """Check and re-encode off the event loop; raises ImageRejected. The slow part: do it
    before a transaction, not inside one."""
    return await asyncio.get_running_loop().run_in_executor(DECODER, process_image, data)


async def save_photo(
    store: MediaStore, owner_id: int, kind: str, image: ProcessedImage
) -> dict[str, Any]:
    rows = await Photo.insert(
        Photo(
            owner=owner_id,
            kind=kind,
            width=image.large.width,
            height=image.large.height,
            small_width=image.small.width,
            small_height=image.small.height,
        )
    ).returning(*Photo.all_columns())
    row: dict[str, Any] = rows[0]
    try:
        await asyncio.to_thread(store.write, row["public_id"], image)
    except StorageUnavailable:
        # Outside a transaction the row would stay, a photo without files.
        await Photo.delete().where(Photo.id == row["id"])
        raise
    return row


async def store_photo(store: MediaStore, owner_id: int, kind: str, data: bytes) -> dict[str, Any]:
    """Re-encode and save; raises ImageRejected for a bad upload."""
    return await save_photo(store, owner_id, kind, await prepare_photo(data))


async def delete_photo(store: MediaStore, photo_id: int) -> None:
    row = await Photo.select(Photo.public_id).where(Photo.id == photo_id).first()
    if row is None:
        return
    await Photo.delete().where(Photo.id == photo_id)
    await delete_files(store, [row["public_id"]])


async def delete_files(store: MediaStore, public_ids: list[UUID]) -> None:
    """The files of photos whose rows are gone (committed). A storage that fails now does not
    undo what was done: the files it kept are logged, and the stray-file sweep takes them."""
    for public_id in public_ids:
        try:
            await asyncio.to_thread(store.delete, public_id)
        except StorageUnavailable as error:
            logger.warning("photo %s: files not deleted yet: %s", public_id, error)


async def viewable_photo(public_id: UUID, viewer: CurrentUser | None) -> dict[str, Any] | None:
    """The photo if this viewer may see it; None looks the same as a photo that does not exist."""
    row: dict[str, Any] | None = await Photo.select().where(Photo.public_id == public_id).first()
    if row is None:
        return None
    if viewer is not None and (viewer.account_id == row["owner"] or viewer.role == Role.ADMIN):
        return row
    rule = ACCESS_RULES.get(row["kind"])
    if rule is not None and await rule(viewer, int(row["id"])):
        return row
    return None


__all__ = [
    "ImageRejected",
    "MediaStore",
    "access_rule",
    "delete_files",
    "prepare_photo",
    "save_photo",
    "store_photo",
    "viewable_photo",
]
