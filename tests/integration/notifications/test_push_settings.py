"""PUSH_ALLOW_LOCAL_ENDPOINTS: for a test or development run only, never on a public server."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from server.app import create_app
from server.settings import LocalPushRefused, Settings
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES, clothingline
from tests.processes import free_port

REFUSAL = "clothingline: PUSH_ALLOW_LOCAL_ENDPOINTS is for tests and development only"


def env_for(tmp_path: Path, origin: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "DATA_DIR": str(tmp_path),
        "PUBLIC_ORIGIN": origin,
        "PUSH_ALLOW_LOCAL_ENDPOINTS": "1",
    }


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_commands_refuse_local_endpoints_on_a_public_origin(tmp_path: Path, command: str) -> None:
    env = env_for(tmp_path, "https://clothingline.id")
    args = ["--port", str(free_port())] if command == "serve" else []
    result = clothingline(env, command, *args, timeout=30)
    assert result.returncode != 0
    assert REFUSAL in result.stderr
    assert "Traceback" not in result.stderr


def test_create_app_refuses_local_endpoints_on_a_public_origin(settings: Settings) -> None:
    public = dataclasses.replace(
        settings, public_origin="https://clothingline.id", push_allow_local_endpoints=True
    )
    with pytest.raises(LocalPushRefused):
        create_app(public)
    for origin in ("http://localhost:8000", "http://127.0.0.1:8110", "http://[::1]:8110"):
        create_app(dataclasses.replace(public, public_origin=origin))


def test_local_endpoints_are_off_unless_asked_for() -> None:
    base = {"DATA_DIR": "/tmp/clothingline-unused", "SECRET_KEY": "x"}  # noqa: S108
    assert not Settings.from_env(base).push_allow_local_endpoints
    assert Settings.from_env({**base, "PUSH_ALLOW_LOCAL_ENDPOINTS": "1"}).push_allow_local_endpoints
