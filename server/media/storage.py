"""Where photo files live, behind one small interface: a folder on this host (the default), or
an S3-compatible bucket that several hosts share (`server/media/s3.py`, MEDIA_STORE=s3).

Every call blocks: callers run them in a thread (`asyncio.to_thread`), as a bucket is a network
round trip away and even a disk can stall."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol

from litestar.exceptions import ServiceUnavailableException

from server.files import private_directory, write_private
from server.settings import MediaSettings, Settings

PARTIAL = ".part"  # a file being written, renamed when whole


@dataclass(frozen=True)
class StoredFile:
    key: str
    modified: datetime


class Storage(Protocol):
    """Files under flat keys (`<public id>-large.webp`), private to the server. A shared
    storage that does not answer raises StorageUnavailable from any of these."""

    def put(self, key: str, data: bytes) -> None:
        """Store the whole file: a reader sees the old one, or none, until it is all there."""

    def read(self, key: str) -> bytes | None:
        """The file, or None when there is none under `key`."""

    def delete(self, key: str) -> None:
        """Remove the file; nothing happens when there is none."""

    def exists(self, key: str) -> bool: ...

    def list_files(self) -> Iterator[StoredFile]:
        """Every whole file, in the order of their keys."""


@dataclass(frozen=True)
class LocalFolder:
    """Files in one folder of this host's disk: 0600 in a 0700 folder, like the data folder."""

    root: Path

    def path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        private_directory(self.root)
        temporary = self.path(key).with_suffix(PARTIAL)
        write_private(temporary, data)
        temporary.replace(self.path(key))

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def list_files(self) -> Iterator[StoredFile]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.iterdir()):
            if path.suffix != PARTIAL and path.is_file():
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                yield StoredFile(path.name, modified)


class MediaStoreMisconfigured(ValueError):
    pass


class StorageUnavailable(ServiceUnavailableException):
    """The shared storage did not answer (or refused): a 503, the page that says to try again
    in a few minutes."""


MEDIA_STORES = ("local", "s3")


def check_media_store(media: MediaSettings) -> None:
    """A clear refusal at start-up rather than a failed upload later."""
    if media.store not in MEDIA_STORES:
        raise MediaStoreMisconfigured(f"MEDIA_STORE is local or s3, not {media.store!r}")
    if media.store != "s3":
        return
    if not media.s3_bucket:
        raise MediaStoreMisconfigured("MEDIA_STORE=s3 needs MEDIA_S3_BUCKET")
    if find_spec("boto3") is None:
        raise MediaStoreMisconfigured("MEDIA_STORE=s3 needs boto3: pip install 'clothingline[s3]'")


def open_storage(settings: Settings) -> Storage:
    """The storage MEDIA_STORE names: `local` (DATA_DIR/media) or `s3` (MEDIA_S3_*)."""
    check_media_store(settings.media)
    if settings.media.store == "local":
        return LocalFolder(settings.data_dir / "media")
    from server.media.s3 import S3Bucket  # boto3 is installed only where a bucket is used

    return S3Bucket.connect(settings.media)
