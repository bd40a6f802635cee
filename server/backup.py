"""`clothingline backup` and `restore`: a consistent copy of the SQLite database, taken with
SQLite's online backup API while the app serves and writes, and a copy of the photos from
their storage (the local folder, or every object of the bucket).

PostgreSQL is backed up with its own tools (`pg_dump`, or WAL archiving), and a shared bucket
by its own versioning or replication: see the README."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from server.db import SQLITE_BUSY_TIMEOUT_S, SQLITE_PREFIX
from server.files import private_directory, private_file
from server.media.storage import PARTIAL, LocalFolder, Storage

MEDIA = "media"
# Generated into DATA_DIR when not set in the environment: without them, recovery codes and push
# subscriptions are void.
SECRETS = ("secret_key", "vapid_private_key.pem")


class BackupRefused(Exception):
    pass


@dataclass(frozen=True)
class Copied:
    database: Path
    media_files: int
    secrets: tuple[str, ...]


def sqlite_path(database_url: str, what: str) -> Path:
    if not database_url.startswith(SQLITE_PREFIX):
        raise BackupRefused(
            f"{what} copies a SQLite database only; DATABASE_URL is PostgreSQL: back it up with "
            "pg_dump (and restore with pg_restore), as the README's Backups section shows"
        )
    return Path(database_url.removeprefix(SQLITE_PREFIX))


def backup(database_url: str, data_dir: Path, destination: Path, media: Storage) -> Copied:
    """Copy the database into `destination` (under its own file name), then the photos of
    `media` into `destination/media` and the generated secrets found in DATA_DIR. Files are 0600 and
    folders 0700, like the data folder's."""
    source = sqlite_path(database_url, "clothingline backup")
    if not source.is_file():
        raise BackupRefused(f"there is no database at {source}")
    private_directory(destination)
    target = destination / source.name
    if target.exists() or (destination / MEDIA).exists():
        raise BackupRefused(f"{destination} already holds a backup: give an empty folder")
    partial = target.with_name(target.name + PARTIAL)
    copy_database(source, partial)
    partial.replace(target)
    count = copy_media(media, LocalFolder(private_directory(destination / MEDIA)))
    return Copied(target, count, copy_secrets(data_dir, destination))


def copy_secrets(source: Path, target: Path) -> tuple[str, ...]:
    copied = tuple(name for name in SECRETS if (source / name).is_file())
    for name in copied:
        copy_private(source / name, target / name)
    return copied


def copy_database(source: Path, target: Path) -> None:
    """One step of the online backup API: the copy is the database as of one committed moment
    (writers wait on WAL readers no more than on any reader), checked before it is kept."""
    private_file(target)
    with (
        closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_S)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)
        (verdict,) = writer.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupRefused(f"the copy failed its integrity check: {verdict}")


def copy_media(source: Storage, target: Storage) -> int:
    """Every whole photo file. Taken after the database: a photo's file is written just after
    its row, so each photo the copied database names is here (but for one uploaded in the very
    moment of the copy)."""
    count = 0
    for stored in source.list_files():
        data = source.read(stored.key)
        if data is not None:  # not swept away since it was listed
            target.put(stored.key, data)
            count += 1
    return count


def copy_private(source: Path, target: Path) -> None:
    private_file(target)
    with source.open("rb") as reading, target.open("wb") as writing:
        shutil.copyfileobj(reading, writing)


def restore(source_dir: Path, database_url: str, data_dir: Path, media: Storage) -> Copied:
    """Put a backup back, with the app stopped: the database file where DATABASE_URL points,
    the photos into `media` and the secrets into DATA_DIR. Refused when any of them is there
    already (move the broken ones aside first)."""
    target = sqlite_path(database_url, "clothingline restore")
    backups = sorted(
        path for path in source_dir.glob("*") if path.is_file() and path.name not in SECRETS
    )
    if len(backups) != 1:
        raise BackupRefused(f"{source_dir} is not a backup: it should hold one database file")
    secrets = [data_dir / name for name in SECRETS if (source_dir / name).is_file()]
    companions = [target.with_name(target.name + suffix) for suffix in ("-wal", "-shm")]
    for present in (target, *companions, *secrets):
        if present.exists():
            raise BackupRefused(f"{present} exists: move it aside before restoring")
    if next(media.list_files(), None) is not None:
        raise BackupRefused("the photo storage holds photos: empty it before restoring")
    private_directory(target.parent)
    private_directory(data_dir)
    partial = target.with_name(target.name + PARTIAL)
    copy_database(backups[0], partial)
    partial.replace(target)
    count = copy_media(LocalFolder(source_dir / MEDIA), media)
    return Copied(target, count, copy_secrets(source_dir, data_dir))
