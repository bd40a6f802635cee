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
