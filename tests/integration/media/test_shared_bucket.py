"""Two app instances, as on two hosts: each with its own DATA_DIR, one database and one bucket.
A photo uploaded through one is served by the other, over real HTTP, with the same rules."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from server.app import create_app
from server.auth.sessions import SESSION_COOKIE
from server.media.s3 import S3Bucket
from server.settings import MediaSettings, Settings
from tests.builders.orders import ORDER
from tests.builders.people import designer, session_for
from tests.conftest import make_settings, run_async
from tests.images import jpeg_with_gps
from tests.integration.media.buckets import keys
from tests.processes import ThreadedServer, free_port


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app under uvicorn in a thread of its own, until the block ends; its origin."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    app = create_app(dataclasses.replace(settings, port=port, public_origin=origin))
    with ThreadedServer(app, port):
        yield origin


def host(database_url: str, data_dir: Path, bucket: MediaSettings) -> Settings:
    return dataclasses.replace(make_settings(database_url, data_dir), media=bucket)


def upload_photo(client: httpx.Client) -> str:
    """A photo uploaded with the order form's preview; its public id."""
    client.get("/")  # the CSRF cookie, as a browser holds it
    response = client.post(
        "/orders",
        data={**ORDER, "action": "preview", "_csrf_token": client.cookies["csrftoken"]},
        files={"photos": ("kemeja.jpg", jpeg_with_gps(800, 600), "image/jpeg")},
    )
    assert response.status_code == 200, response.text
    found = re.search(r'name="photo_ids" value="([^"]+)"', response.text)
    assert found, response.text
    return found[1]


async def signed_in_designer() -> str:
    return await session_for(await designer())


def test_a_photo_uploaded_on_one_host_is_served_by_another(
    clean_database: str, tmp_path: Path, bucket: MediaSettings
) -> None:
    cookies = {SESSION_COOKIE: run_async(signed_in_designer)}
    first, second = tmp_path / "first-host", tmp_path / "second-host"
    with (
        serving(host(clean_database, first, bucket)) as first_origin,
        serving(host(clean_database, second, bucket)) as second_origin,
        httpx.Client(base_url=first_origin, cookies=cookies, timeout=30) as on_first,
        httpx.Client(base_url=second_origin, cookies=cookies, timeout=30) as on_second,
        httpx.Client(base_url=second_origin, timeout=30) as visitor,
    ):
        photo_id = upload_photo(on_first)
        for size in ("large", "small"):
            here = on_first.get(f"/media/{photo_id}/{size}.webp")
            there = on_second.get(f"/media/{photo_id}/{size}.webp")
            assert there.status_code == 200
            assert there.headers["content-type"] == "image/webp"
            assert there.headers["cache-control"] == here.headers["cache-control"] == "no-store"
            assert there.content == here.content
            assert b"GPS" not in there.content
            # An unpublished order's photo is its owner's alone, on every host.
            assert visitor.get(f"/media/{photo_id}/{size}.webp").status_code == 404
        exported = on_second.get("/account/data").json()
        assert [photo["url"] for photo in exported["photos"]] == [f"/media/{photo_id}/large"]

        # Erased through the second host: the files go from the bucket the first one reads.
        on_second.get("/account/delete")  # the CSRF cookie, as a browser holds it
        token = on_second.cookies["csrftoken"]
        erased = on_second.post("/account/delete", data={"confirm": "HAPUS", "_csrf_token": token})
        assert erased.status_code == 200, erased.text
        assert keys(S3Bucket.connect(bucket)) == []
    assert not (first / "media").exists() and not (second / "media").exists()
