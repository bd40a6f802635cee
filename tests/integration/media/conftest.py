"""A local S3-compatible server (moto's, standing in for the cloud's object storage), one
fresh bucket per test, and the storages the contract runs on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from moto.server import ThreadedMotoServer

from server.media.s3 import S3Bucket
from server.media.storage import LocalFolder, Storage
from server.settings import MediaSettings
from tests.integration.media.buckets import new_bucket
from tests.processes import free_port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> MediaSettings:
    """MEDIA_STORE=s3 settings for a new, empty bucket on the local server."""
    return new_bucket(s3_endpoint, f"photos-{uuid4().hex[:12]}")


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalFolder(tmp_path / "media")
    return S3Bucket.connect(request.getfixturevalue("bucket"))
