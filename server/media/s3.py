"""Photos in a bucket of S3-compatible object storage, shared by every host (MEDIA_STORE=s3).

boto3, in the caller's thread: the reference client, whose clients are safe to share between
threads, and the one the local S3 test server (moto) is built on. Objects are written without
any ACL, so they stay private to the bucket's owner; the app serves them with its own access
rules, never by redirecting to the bucket."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.media.storage import StorageUnavailable, StoredFile
from server.settings import MediaSettings

logger = logging.getLogger(__name__)
MISSING = ("404", "NoSuchKey", "NotFound")
# A stalled store fails the request within seconds rather than holding a worker thread.
TIMEOUTS = {"connect_timeout": 5, "read_timeout": 20}


@dataclass(frozen=True)
class S3Bucket:
    bucket: str
    client: Any  # botocore's client classes are generated at run time

    @classmethod
    def connect(cls, media: MediaSettings) -> S3Bucket:
        # Path-style addresses on a given endpoint: MinIO, Garage, Ceph and a local test server
        # answer them without a DNS name per bucket; AWS itself picks its own.
        addressing = "path" if media.s3_endpoint else "auto"
        client = boto3.client(
            "s3",
            endpoint_url=media.s3_endpoint or None,
            region_name=media.s3_region,
            aws_access_key_id=media.s3_access_key or None,
            aws_secret_access_key=media.s3_secret_key or None,
            config=Config(
                s3={"addressing_style": addressing},
                retries={"max_attempts": 3, "mode": "standard"},
                **TIMEOUTS,
            ),
        )
        return cls(media.s3_bucket, client)

    def put(self, key: str, data: bytes) -> None:
        # One PUT is atomic: readers see the old object, or none, until the new one is whole.
        with unavailable_when_failing():
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data)

    def read(self, key: str) -> bytes | None:
        with unavailable_when_failing():
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if missing(error):
                    return None
                raise
            data: bytes = response["Body"].read()
            return data

    def delete(self, key: str) -> None:
        with unavailable_when_failing():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        with unavailable_when_failing():
            try:
                self.client.head_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if missing(error):
                    return False
                raise
            return True

    def list_files(self) -> Iterator[StoredFile]:
        with unavailable_when_failing():
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
            for page in pages:
                for item in page.get("Contents", ()):
                    yield StoredFile(str(item["Key"]), item["LastModified"])


def missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in MISSING


@contextmanager
def unavailable_when_failing() -> Iterator[None]:
    """An unreachable endpoint, a timeout, a refusal (wrong keys, no such bucket): one error."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        logger.warning("the photo bucket failed: %s", error)
        raise StorageUnavailable() from error
