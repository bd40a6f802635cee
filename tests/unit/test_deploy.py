"""The deploy/ examples: haproxy routes on the health checks, systemd restarts what dies."""

from __future__ import annotations

import configparser
import re
import subprocess

from tests.haproxy import DEPLOY, HAPROXY_CFG, haproxy


def test_the_haproxy_example_is_valid() -> None:
    result = subprocess.run(
        [haproxy(), "-c", "-f", str(HAPROXY_CFG)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


def backends() -> dict[str, str]:
    text = HAPROXY_CFG.read_text()
    sections = re.split(r"^(?=\S)", text, flags=re.MULTILINE)
    return {section.split()[1]: section for section in sections if section.startswith("backend ")}


def test_readiness_routes_pages_and_liveness_files() -> None:
    found = backends()
    assert "uri /healthz/ready" in found["pages"]
    assert "uri /healthz/live" in found["files"]
    text = HAPROXY_CFG.read_text()
    assert re.search(r"^\s+default_backend pages$", text, flags=re.MULTILINE)
    servers = {
        name: re.findall(r"^\s+server \S+ (\S+)", body, re.M) for name, body in found.items()
    }
    assert (
        servers["pages"]
        == servers["files"]
        == ["127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003"]
    )


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text())
    return parser


def test_the_serve_unit_runs_one_process_per_port_and_restarts_it() -> None:
    serve = unit("clothingline-serve@.service")["Service"]
    assert serve["ExecStart"].endswith("clothingline serve --port %i")
    assert serve["Restart"] == "on-failure"
    assert serve["Environment"] == "PUSH_WORKER=0"


def test_the_worker_unit_runs_the_background_work_and_restarts_it() -> None:
    worker = unit("clothingline-worker.service")["Service"]
    assert worker["ExecStart"].endswith("clothingline worker")
    assert worker["Restart"] == "on-failure"
    assert "PUSH_WORKER" not in worker.get("Environment", "")
