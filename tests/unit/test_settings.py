import dataclasses
import stat
from pathlib import Path

from server.settings import Settings


def test_defaults_are_local_and_safe(tmp_path: Path) -> None:
    settings = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.public_origin == "http://localhost:8000"
    assert settings.rp_id == "localhost"
    assert settings.database_url == f"sqlite:///{tmp_path / 'clothingline.sqlite'}"
    assert not settings.secure_cookies


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = Settings.from_env({"DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 40
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_environment_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql://u@db/clothing",
            "HOST": "0.0.0.0",  # noqa: S104
            "PORT": "9000",
            "PUBLIC_ORIGIN": "https://jahit.example.id/",
            "SECRET_KEY": "from-the-environment",
        }
    )
    assert settings.database_url == "postgresql://u@db/clothing"
    assert settings.port == 9000
    assert settings.public_origin == "https://jahit.example.id"
    assert settings.rp_id == "jahit.example.id"
    assert settings.secure_cookies
    assert settings.secret_key == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_every_default_is_what_an_empty_environment_gives(tmp_path: Path) -> None:
    settings = Settings.from_env({"DATA_DIR": str(tmp_path)})
    plain = [
        item for item in dataclasses.fields(Settings) if item.default is not dataclasses.MISSING
    ]
    assert {item.name for item in plain} >= {"host", "port", "log_level", "demo", "push_worker"}
    for item in plain:
        assert getattr(settings, item.name) == item.default, item.name
    for item in dataclasses.fields(Settings):
        if item.default_factory is not dataclasses.MISSING:
            assert getattr(settings, item.name) == item.default_factory(), item.name


def test_flags_leave_their_default_only_on_a_clear_word(tmp_path: Path) -> None:
    def read(**env: str) -> Settings:
        return Settings.from_env({"DATA_DIR": str(tmp_path), **env})

    assert read(DEMO="yes").demo and not read(DEMO="maybe").demo and not read(DEMO="").demo
    assert not read(PUSH_WORKER="no").push_worker
    assert read(PUSH_WORKER="maybe").push_worker and read(PUSH_WORKER="").push_worker
