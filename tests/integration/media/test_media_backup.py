"""`clothingline backup` copies the photos out of whichever storage holds them, and `restore`
puts them back into it: here a bucket (a single host on SQLite with its photos in S3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.backup import BackupRefused, backup, restore
from server.media.s3 import S3Bucket
from server.settings import MediaSettings
from tests.integration.media.buckets import another_bucket, keys
from tests.integration.ops.test_backup import SQLITE_ONLY, mode

PHOTOS = {"a-large.webp": b"large", "a-small.webp": b"small"}


@SQLITE_ONLY
def test_the_bucket_is_backed_up_and_restored_into_an_empty_one(
    clean_database: str, tmp_path: Path, bucket: MediaSettings
) -> None:
    shared = S3Bucket.connect(bucket)
    for key, data in PHOTOS.items():
        shared.put(key, data)
    copied = backup(clean_database, tmp_path / "data", tmp_path / "backup", shared)
    assert copied.media_files == 2
    assert mode(tmp_path / "backup" / "media") == 0o700
    for key, data in PHOTOS.items():
        assert (tmp_path / "backup" / "media" / key).read_bytes() == data
        assert mode(tmp_path / "backup" / "media" / key) == 0o600

    with pytest.raises(BackupRefused, match="the photo storage holds photos"):
        restore(tmp_path / "backup", f"sqlite:///{tmp_path / 'new.sqlite'}", tmp_path, shared)
    assert not (tmp_path / "new.sqlite").exists()

    fresh = another_bucket(bucket, f"{bucket.s3_bucket}-restored")
    restored = restore(
        tmp_path / "backup", f"sqlite:///{tmp_path / 'new.sqlite'}", tmp_path / "new", fresh
    )
    assert restored.media_files == 2
    assert {key: fresh.read(key) for key in keys(fresh)} == PHOTOS
