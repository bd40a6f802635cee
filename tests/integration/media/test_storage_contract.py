"""Both photo storages keep the same promises: the folder on this host and an S3-compatible
bucket (on a local server) are interchangeable behind `Storage`."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from uuid import uuid4

import pytest

from server.media.images import process_image
from server.media.s3 import S3Bucket
from server.media.services import MediaStore
from server.media.storage import (
    LocalFolder,
    MediaStoreMisconfigured,
    Storage,
    check_media_store,
    open_storage,
)
from server.settings import MediaSettings, Settings
from tests.images import png
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES, clothingline
from tests.integration.media.buckets import keys
from tests.processes import free_port


def test_a_stored_file_reads_back_whole(storage: Storage) -> None:
    data = bytes(range(256)) * 1000
    storage.put("a-large.webp", data)
    assert storage.read("a-large.webp") == data
    assert storage.exists("a-large.webp")


def test_a_missing_file_reads_as_none(storage: Storage) -> None:
    assert storage.read("nothing-large.webp") is None
    assert not storage.exists("nothing-large.webp")


def test_storing_again_replaces_the_file(storage: Storage) -> None:
    storage.put("a-small.webp", b"first, and longer than the second")
    storage.put("a-small.webp", b"second")
    assert storage.read("a-small.webp") == b"second"


def test_a_deleted_file_is_gone_and_deleting_twice_is_harmless(storage: Storage) -> None:
    storage.put("a-large.webp", b"x")
    storage.put("b-large.webp", b"y")
    storage.delete("a-large.webp")
    storage.delete("a-large.webp")
    storage.delete("never-there.webp")
    assert storage.read("a-large.webp") is None
    assert storage.read("b-large.webp") == b"y"


def test_keys_lists_every_file_in_order(storage: Storage) -> None:
    assert keys(storage) == []
    for key in ("c-small.webp", "a-large.webp", "b-large.webp"):
        storage.put(key, key.encode())
    storage.delete("b-large.webp")
    assert keys(storage) == ["a-large.webp", "c-small.webp"]


def test_a_photo_is_stored_and_deleted_as_its_two_renditions(storage: Storage) -> None:
    store = MediaStore(storage)
    public_id = uuid4()
    image = process_image(png(640, 480))
    store.write(public_id, image)
    assert store.read(public_id, "large") == image.large.data
    assert store.read(public_id, "small") == image.small.data
    store.delete(public_id)
    assert keys(storage) == []


def test_a_file_half_written_in_a_crash_is_not_listed(tmp_path: Path) -> None:
    folder = LocalFolder(tmp_path / "media")
    folder.put("a-large.webp", b"whole")
    (folder.root / "b-large.part").write_bytes(b"half")
    assert keys(folder) == ["a-large.webp"]


def test_settings_choose_the_storage(bucket: MediaSettings, tmp_path: Path) -> None:
    local = Settings.from_env({"DATA_DIR": str(tmp_path / "data")})
    assert open_storage(local) == LocalFolder(tmp_path / "data" / "media")
    shared = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "MEDIA_STORE": "S3",
            "MEDIA_S3_ENDPOINT": bucket.s3_endpoint,
            "MEDIA_S3_BUCKET": bucket.s3_bucket,
            "MEDIA_S3_ACCESS_KEY": bucket.s3_access_key,
            "MEDIA_S3_SECRET_KEY": bucket.s3_secret_key,
        }
    )
    assert shared.media == bucket
    storage = open_storage(shared)
    assert isinstance(storage, S3Bucket)
    storage.put("a-large.webp", b"shared")
    assert S3Bucket.connect(bucket).read("a-large.webp") == b"shared"


@pytest.mark.parametrize(
    ("media", "message"),
    [
        (MediaSettings(store="nfs"), "MEDIA_STORE is local or s3, not 'nfs'"),
        (MediaSettings(store="s3"), "MEDIA_STORE=s3 needs MEDIA_S3_BUCKET"),
    ],
)
def test_a_wrong_media_store_is_refused_at_start(
    media: MediaSettings, message: str, tmp_path: Path
) -> None:
    with pytest.raises(MediaStoreMisconfigured, match=message):
        check_media_store(media)
    settings = Settings.from_env({"DATA_DIR": str(tmp_path)})
    with pytest.raises(MediaStoreMisconfigured, match=message):
        open_storage(dataclasses.replace(settings, media=media))


def test_serve_refuses_to_start_with_a_bucket_but_no_name(tmp_path: Path) -> None:
    env = {
        **{key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "DATA_DIR": str(tmp_path),
        "MEDIA_STORE": "s3",
    }
    result = clothingline(env, "serve", "--port", str(free_port()), timeout=30)
    assert result.returncode != 0
    assert "clothingline: MEDIA_STORE=s3 needs MEDIA_S3_BUCKET" in result.stderr
    assert "Traceback" not in result.stderr
