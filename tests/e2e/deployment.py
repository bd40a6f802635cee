"""The deployment example run for real on this machine: `clothingline serve` processes with
PUSH_WORKER=0 (each with a DATA_DIR of its own, as on several hosts) and one `clothingline
worker` on one PostgreSQL database, behind haproxy running deploy/haproxy.cfg."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
from py_vapid import Vapid02

from tests.e2e.conftest import free_port
from tests.haproxy import example_on_ports, haproxy
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "one-secret-key-for-every-process"
START_S = 60.0  # a process on a busy 2-core machine imports, migrates nothing, and listens


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def launch(name: str, command: list[str], env: Mapping[str, str], logs: Path) -> Process:
    """Its output goes to a file: a pipe nobody reads would stop it once full."""
    log = logs / f"{name}.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(
            command, env=dict(env), cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    return Process(name, popen, log)


def wait_until(
    check: Callable[[], bool], what: str, running: list[Process], timeout: float = START_S
) -> None:
    """Poll `check` until it holds; fail with the output of any process that died meanwhile."""
    deadline = time.monotonic() + timeout
    while not check():
        for process in running:
            exited = process.popen.poll()
            assert exited is None, f"{process.name} exited ({exited}):\n{process.output()}"
        assert time.monotonic() < deadline, f"not within {timeout:g} s: {what}"
        threading.Event().wait(0.05)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class Deployment:
    balancer: str
    backends: list[str]
    serve: list[Process]
    worker: Process
    haproxy: Process

    @property
    def processes(self) -> list[Process]:
        return [*self.serve, self.worker, self.haproxy]

    def running(self) -> list[Process]:
        return [process for process in self.processes if process.popen.poll() is None]


def environment(database_url: str, balancer: str, given: Mapping[str, str]) -> dict[str, str]:
    """What every process shares: the database, the keys and the public address."""
    vapid = Vapid02()
    vapid.generate_keys()
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith("RATE_LIMIT_")
    }
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "VAPID_PRIVATE_KEY": vapid.private_pem().decode(),
        "PUBLIC_ORIGIN": balancer,
        "HOST": "127.0.0.1",
        "PICCOLO_CONF": "server.piccolo_conf",
        **given,
    }


@contextmanager
def deployed(
    database_url: str, folder: Path, given: Mapping[str, str], serve_processes: int = 2
) -> Iterator[Deployment]:
    """Every process started at once, and the deployment handed over when each backend and the
    balancer answer; everything still running is stopped afterwards."""
    port = free_port()
    balancer = f"http://127.0.0.1:{port}"
    ports = [free_port() for _n in range(serve_processes)]
    env = environment(database_url, balancer, given)
    config = folder / "haproxy.cfg"
    config.write_text(example_on_ports(port, ports))
    clothingline = [sys.executable, "-m", "server"]
    serve = [
        launch(
            f"serve{backend}",
            [*clothingline, "serve", "--port", str(backend)],
            {**env, "PUSH_WORKER": "0", "DATA_DIR": str(folder / f"data{backend}")},
            folder,
        )
        for backend in ports
    ]
    worker = launch(
        "worker", [*clothingline, "worker"], {**env, "DATA_DIR": str(folder / "worker")}, folder
    )
    balancing = launch("haproxy", [haproxy(), "-db", "-f", str(config)], env, folder)
    deployment = Deployment(
        balancer, [f"http://127.0.0.1:{backend}" for backend in ports], serve, worker, balancing
    )
    try:
        for url in [*deployment.backends, balancer]:
            ready = partial(answers, f"{url}/healthz/ready")
            wait_until(ready, f"{url} ready", deployment.processes)
        yield deployment
    finally:
        for process in reversed(deployment.running()):
            process.popen.terminate()
        for process in deployment.processes:
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
