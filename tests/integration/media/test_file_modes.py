"""What the server keeps on disk is readable by the server's own user only."""

from __future__ import annotations

import dataclasses
import stat
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from server import piccolo_conf
from server.app import create_app
from server.db import all_tables, current_engine, make_engine, migrate, open_database, use_database
from server.media.images import process_image
from server.media.services import MediaStore
from server.media.storage import LocalFolder
from server.settings import Settings
from tests.images import png


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def loosen(folder: Path, *names: str) -> None:
    """A folder and files as an older release, or a careless copy, left them: 0755 and 0644."""
    folder.chmod(0o755)
    for name in names:
        (folder / name).touch()
        (folder / name).chmod(0o644)


@pytest.fixture
def own_database() -> Iterator[None]:
    """The test points Piccolo at a database of its own; the other tests get theirs back."""
    previous = current_engine()
    yield
    piccolo_conf.DB = previous
    for table in all_tables():
        table._meta.db = previous


def test_fresh_data_folder_and_its_secrets_are_private(tmp_path: Path, own_database: None) -> None:
    data_dir = tmp_path / "fresh" / "data"
    settings = Settings.from_env({"DATA_DIR": str(data_dir)})
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    create_app(dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'x.sqlite'}"))
    assert mode(data_dir / "vapid_private_key.pem") == 0o600
    assert mode(data_dir) == 0o700


def test_app_tightens_a_data_folder_and_keys_left_readable(
    settings: Settings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "old"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    Settings.from_env({"DATA_DIR": str(data_dir)})
    (data_dir / "secret_key").chmod(0o644)
    create_app(dataclasses.replace(settings, data_dir=data_dir))
    (data_dir / "vapid_private_key.pem").chmod(0o640)
    Settings.from_env({"DATA_DIR": str(data_dir)})
    create_app(dataclasses.replace(settings, data_dir=data_dir))
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    assert mode(data_dir / "vapid_private_key.pem") == 0o600


async def test_sqlite_file_and_its_write_ahead_log_are_private(tmp_path: Path) -> None:
    path = tmp_path / "clothingline.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    await open_database(engine)
    assert mode(path) == 0o600
    async with engine.transaction():
        await engine.run_ddl("CREATE TABLE note (body TEXT)")
        await engine.run_ddl("INSERT INTO note VALUES ('x')")
        wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
        assert wal.exists() and shm.exists()
        assert (mode(wal), mode(shm)) == (0o600, 0o600)


async def test_existing_sqlite_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "clothingline.sqlite"
    loosen(tmp_path, path.name, f"{path.name}-wal", f"{path.name}-shm")
    await open_database(make_engine(f"sqlite:///{path}"))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        assert mode(tmp_path / name) == 0o600, name
    assert mode(tmp_path) == 0o755  # a folder the operator chose is theirs


async def test_migrate_makes_the_sqlite_file_private(tmp_path: Path, own_database: None) -> None:
    path = tmp_path / "clothingline.sqlite"
    use_database(f"sqlite:///{path}")
    await migrate()
    assert mode(path) == 0o600


def test_photo_files_are_private(tmp_path: Path) -> None:
    folder = LocalFolder(tmp_path / "media")
    public_id = uuid4()
    leftover = folder.path(MediaStore.key(public_id, "large")).with_suffix(".part")
    folder.root.mkdir(mode=0o755)
    folder.root.chmod(0o755)
    leftover.write_bytes(b"from a crash")
    leftover.chmod(0o644)
    MediaStore(folder).write(public_id, process_image(png(64, 48)))
    assert mode(folder.root) == 0o700
    for size in ("large", "small"):
        assert mode(folder.path(MediaStore.key(public_id, size))) == 0o600
    assert not leftover.exists()
