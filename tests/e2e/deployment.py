"""The deployment example run for real on this machine: `clothingline serve` processes with
PUSH_WORKER=0 (each with a DATA_DIR of its own, as on several hosts) and one `clothingline
worker` on one PostgreSQL database, behind haproxy running deploy/haproxy.cfg."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from py_vapid import Vapid02

from tests.e2e.conftest import free_port
from tests.haproxy import start_balancer
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES
from tests.processes import Process, answers, launch, stopped_afterwards, wait_until

SECRET_KEY = "one-secret-key-for-every-process"


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
    balancing = start_balancer(port, ports, folder, env)
    deployment = Deployment(
        balancer, [f"http://127.0.0.1:{backend}" for backend in ports], serve, worker, balancing
    )
    with stopped_afterwards(deployment.processes):
        for url in [*deployment.backends, balancer]:
            ready = partial(answers, f"{url}/healthz/ready")
            wait_until(ready, f"{url} ready", deployment.processes)
        yield deployment
