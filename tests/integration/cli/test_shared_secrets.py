"""`clothingline serve` and `worker` on PostgreSQL refuse to start without SECRET_KEY and
VAPID_PRIVATE_KEY, as does the app factory uvicorn may call directly."""

import os
from pathlib import Path

import pytest

from server.app import create_app
from server.settings import SharedSecretsMissing
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES, clothingline
from tests.processes import free_port

UNREACHABLE = "postgresql://clothingline@127.0.0.1:1/clothingline"  # never reached: refused first


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (*SETTINGS_VARIABLES, "SECRET_KEY", "VAPID_PRIVATE_KEY")
    }
    return {**env, "DATABASE_URL": UNREACHABLE, "DATA_DIR": str(tmp_path)}


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_commands_on_postgres_refuse_to_start_without_the_shared_keys(
    tmp_path: Path, command: str
) -> None:
    args = ["--port", str(free_port())] if command == "serve" else []
    result = clothingline({**env_for(tmp_path), "SECRET_KEY": "s"}, command, *args, timeout=30)
    assert result.returncode != 0
    assert "clothingline: VAPID_PRIVATE_KEY must be set on PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_app_factory_refuses_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env_for(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    with pytest.raises(SharedSecretsMissing, match="SECRET_KEY and VAPID_PRIVATE_KEY"):
        create_app()
