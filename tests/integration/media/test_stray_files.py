"""When the photo storage is down, people are told to try again and nothing half-done stays;
photo files that outlive their rows are removed later by a sweep of the storage."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import uuid4

from litestar.testing import AsyncTestClient

from server.app import create_app
from server.clock import now
from server.media.s3 import S3Bucket
from server.media.services import MediaStore, store_photo
from server.media.storage import Storage
from server.media.sweep import sweep_stray_files
from server.media.tables import Photo
from server.settings import MediaSettings, Settings
from tests.builders.orders import ORDER
from tests.builders.people import designer, signed_in
from tests.helpers import indonesian, post_form, post_multipart
from tests.images import jpeg_with_gps
from tests.integration.media.buckets import keys
from tests.processes import free_port

LATER = timedelta(days=2)  # past the day an upload's files are left alone


async def test_files_without_a_photo_are_swept_once_old(
    clean_database: str, storage: Storage
) -> None:
    store = MediaStore(storage)
    kept = await store_photo(store, await designer(), "logo", jpeg_with_gps(64, 48))
    stray = uuid4()
    storage.put(store.key(stray, "large"), b"left when the storage was down")
    storage.put(store.key(stray, "small"), b"left when the storage was down")
    storage.put("notes.txt", b"not a photo: never ours to remove")
    assert await sweep_stray_files(store, now()) == 0  # young: its upload may not be committed
    assert await sweep_stray_files(store, now() + LATER) == 2
    assert keys(storage) == sorted(
        [store.key(kept["public_id"], size) for size in ("large", "small")] + ["notes.txt"]
    )


def unreachable(bucket: MediaSettings) -> MediaSettings:
    """The same bucket, behind an endpoint where nothing listens (the storage is down)."""
    return dataclasses.replace(bucket, s3_endpoint=f"http://127.0.0.1:{free_port()}")


async def test_an_upload_while_the_bucket_is_down_asks_to_try_again(
    settings: Settings, bucket: MediaSettings
) -> None:
    app = create_app(dataclasses.replace(settings, media=unreachable(bucket)))
    async with AsyncTestClient(app=app) as client:
        await signed_in(client, "designer", "Dewi Kirana", "0813-5555-0001")
        response = await post_multipart(
            client,
            "/orders",
            {**ORDER, "action": "preview"},
            {"photos": ("kemeja.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    assert response.status_code == 503
    assert indonesian("Clothing Line is busy") in response.text
    assert await Photo.count() == 0


async def test_erasure_while_the_bucket_is_down_completes_and_the_sweep_ends_it(
    settings: Settings, bucket: MediaSettings
) -> None:
    shared = MediaStore(S3Bucket.connect(bucket))
    app = create_app(dataclasses.replace(settings, media=unreachable(bucket)))
    async with AsyncTestClient(app=app) as client:
        person: dict[str, Any] = await signed_in(client, "designer", "Dewi", "0813-5555-0002")
        await store_photo(shared, person["id"], "logo", jpeg_with_gps(64, 48))
        response = await post_form(client, "/account/delete", {"confirm": "HAPUS"})
    assert response.status_code == 200, response.text
    assert await Photo.count() == 0
    assert len(keys(shared.storage)) == 2  # the bucket could not be reached
    assert await sweep_stray_files(shared, now() + LATER) == 2
    assert keys(shared.storage) == []
