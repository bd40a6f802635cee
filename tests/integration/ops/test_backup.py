"""`clothingline backup` while the app serves and takes orders, and `clothingline restore`: the
restored app serves every order committed before the backup began, and its photos."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from server.backup import BackupRefused, backup, restore
from server.media.storage import LocalFolder
from tests.builders.orders import ORDER
from tests.builders.people import designer, session_for
from tests.images import jpeg_with_gps
from tests.processes import free_port

SECRET = "backup-test-secret-key"
ORDERS_AROUND_BACKUP = 5  # committed before the backup starts, and again after it ends
# The writer stops there, below the designer's burst of orders (40, with the photo's preview):
# on a slow machine a long backup would otherwise see the writer refused with a 429.
ORDERS_AT_MOST = 30


def environment(database_url: str, data_dir: Path, port: int | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": SECRET,
        "PUSH_WORKER": "0",
        "PICCOLO_CONF": "server.piccolo_conf",
    }
    if port is not None:
        env |= {"HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_ORIGIN": origin(port)}
    return env


def origin(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def clothingline(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def serving(database_url: str, data_dir: Path) -> Iterator[str]:
    """`clothingline serve` in a process of its own, until the block ends; its origin."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        env=environment(database_url, data_dir, port),
    )
    try:
        with httpx.Client(timeout=1) as probe:
            while True:  # until it answers (or has died)
                assert process.poll() is None, "the server exited"
                try:
                    if probe.get(f"{origin(port)}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    threading.Event().wait(0.05)
        yield origin(port)
    finally:
        process.terminate()
        process.wait(timeout=30)


def designer_client(base: str, token: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, cookies={"cl_session": token})
    client.get("/")  # the CSRF cookie, as a browser holds it
    return client


def send_order(client: httpx.Client, action: str, **fields: Any) -> httpx.Response:
    token = client.cookies["csrftoken"]
    data = {**ORDER, **fields, "action": action, "_csrf_token": token}
    return client.post("/orders", data=data, follow_redirects=False)


def publish(client: httpx.Client, title: str, photo_ids: list[str] | None = None) -> UUID:
    response = send_order(client, "publish", title=title, photo_ids=photo_ids or [])
    assert response.status_code == 303, response.text
    return UUID(response.headers["location"].rsplit("/", 1)[-1])


def upload_photo(client: httpx.Client) -> str:
    """A photo uploaded with the order form's preview; its public id."""
    token = client.cookies["csrftoken"]
    response = client.post(
        "/orders",
        data={**ORDER, "action": "preview", "_csrf_token": token},
        files={"photos": ("kemeja.jpg", jpeg_with_gps(800, 600), "image/jpeg")},
    )
    assert response.status_code == 200, response.text
    found = re.search(r'name="photo_ids" value="([^"]+)"', response.text)
    assert found, response.text
    return found[1]


class Writer(threading.Thread):
    """Publishes orders one after another over HTTP until stopped (or ORDERS_AT_MOST are in);
    `committed` holds each one the app answered for (its transaction had committed)."""

    def __init__(self, client: httpx.Client) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.committed: list[UUID] = []
        self.progress = threading.Condition()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.finished = False

    def run(self) -> None:
        try:
            while not self.stop.is_set() and len(self.committed) < ORDERS_AT_MOST:
                public_id = publish(self.client, f"Kemeja seragam {len(self.committed)}")
                with self.progress:
                    self.committed.append(public_id)
                    self.progress.notify_all()
        except BaseException as error:  # reported by the test
            self.error = error
        with self.progress:
            self.finished = True
            self.progress.notify_all()

    def wait_for(self, count: int) -> list[UUID]:
        with self.progress:
            self.progress.wait_for(lambda: len(self.committed) >= count or self.finished)
            assert self.error is None, self.error
            return list(self.committed)


# Only the SQLite database of the session's engines: no PostgreSQL variant to skip.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# SQLite's own backup: PostgreSQL is backed up with pg_dump (see the refusal test).
@SQLITE_ONLY
async def test_backup_under_writes_restores_every_committed_order(
    clean_database: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    account_id = await designer()
    token = await session_for(account_id)
    backup_dir = tmp_path / "backups" / "today"

    with serving(clean_database, data_dir) as base, closing(designer_client(base, token)) as client:
        photo_id = upload_photo(client)
        with_photo = publish(client, "Kemeja bermotif", photo_ids=[photo_id])
        photos = sorted(path.name for path in (data_dir / "media").iterdir())
        assert photos
        writer = Writer(client)
        writer.start()
        try:
            before = writer.wait_for(ORDERS_AROUND_BACKUP)
            done = clothingline(environment(clean_database, data_dir), "backup", str(backup_dir))
            assert done.returncode == 0, done.stderr
            after_started = len(writer.wait_for(len(before) + ORDERS_AROUND_BACKUP))
        finally:
            writer.stop.set()
            writer.join(timeout=60)
        assert writer.error is None, writer.error
        assert after_started > len(before)

    copy = backup_dir / Path(clean_database).name
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert mode(copy) == 0o600
    assert mode(backup_dir / "media") == 0o700
    assert sorted(path.name for path in (backup_dir / "media").iterdir()) == photos
    assert {mode(path) for path in (backup_dir / "media").iterdir()} == {0o600}
    key = backup_dir / "vapid_private_key.pem"  # generated into DATA_DIR by the app
    assert key.read_bytes() == (data_dir / key.name).read_bytes()
    assert mode(key) == 0o600

    restored_dir = tmp_path / "restored"
    restored_url = f"sqlite:///{restored_dir / 'clothingline.sqlite'}"
    done = clothingline(environment(restored_url, restored_dir), "restore", str(backup_dir))
    assert done.returncode == 0, done.stderr

    with (
        serving(restored_url, restored_dir) as base,
        closing(designer_client(base, token)) as client,
    ):
        for public_id in [with_photo, *before]:
            page = client.get(f"/orders/{public_id}")
            assert page.status_code == 200, (public_id, page.status_code)
        assert f"/media/{photo_id}/small.webp" in client.get(f"/orders/{with_photo}").text
        for size in ("small", "large"):
            assert client.get(f"/media/{photo_id}/{size}.webp").status_code == 200


def test_backup_refuses_postgresql_and_points_at_pg_dump(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/clothingline"
    with pytest.raises(BackupRefused, match="pg_dump"):
        backup(url, tmp_path / "data", tmp_path / "backup", LocalFolder(tmp_path / "media"))
    done = clothingline(environment(url, tmp_path / "data"), "backup", str(tmp_path / "backup"))
    assert done.returncode == 1
    assert "pg_dump" in done.stderr
    assert not (tmp_path / "backup").exists()


@SQLITE_ONLY
def test_backup_and_restore_refuse_to_overwrite(clean_database: str, tmp_path: Path) -> None:
    destination = tmp_path / "backup"
    media = LocalFolder(tmp_path / "data" / "media")
    backup(clean_database, tmp_path / "data", destination, media)
    with pytest.raises(BackupRefused, match="already holds a backup"):
        backup(clean_database, tmp_path / "data", destination, media)
    with pytest.raises(BackupRefused, match="move it aside"):
        restore(destination, clean_database, tmp_path / "data", media)
