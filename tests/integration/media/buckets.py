"""Buckets on the local S3-compatible server, and what a storage holds."""

from __future__ import annotations

import boto3

from server.media.s3 import S3Bucket
from server.media.storage import Storage
from server.settings import MediaSettings

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


def new_bucket(endpoint: str, name: str) -> MediaSettings:
    """MEDIA_STORE=s3 settings for a new, empty bucket on the server at `endpoint`."""
    media = MediaSettings(
        store="s3",
        s3_endpoint=endpoint,
        s3_bucket=name,
        s3_access_key=ACCESS_KEY,
        s3_secret_key=SECRET_KEY,
    )
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=media.s3_region,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ).create_bucket(Bucket=name)
    return media


def another_bucket(media: MediaSettings, name: str) -> S3Bucket:
    return S3Bucket.connect(new_bucket(media.s3_endpoint, name))


def keys(storage: Storage) -> list[str]:
    return [stored.key for stored in storage.list_files()]
