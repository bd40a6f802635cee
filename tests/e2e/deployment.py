"""The deployment example run for real on this machine: `clothingline serve` processes with
PUSH_WORKER=0 (each with a DATA_DIR of its own, as on several hosts) and one `clothingline
worker` on one PostgreSQL database, behind haproxy running deploy/haproxy.cfg."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from py_vapid import Vapid02

from tests.haproxy import start_balancer
from tests.integration.cli.test_cli_and_demo import SETTINGS_VARIABLES
from tests.processes import Process, answers, free_port, launch, stopped_afterwards, wait_until

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
        "LOG_LEVEL": "INFO",  # uvicorn's access log says which process answered what
        "PICCOLO_CONF": "server.piccolo_conf",
        **given,
    }


def relayed(serve: Process, client: str, request: str) -> list[int]:
    """The statuses `serve` answered to requests starting with `request` ("GET /enrol/") that
    the balancer relayed for `client`, as uvicorn's access log shows them: the address from the
    proxy's header, and no port."""
    line = re.compile(rf'^INFO: +{re.escape(client)}:0 - "{re.escape(request)}[^"]*" (\d{{3}}) ')
    return [int(found[1]) for found in map(line.match, serve.log.read_text().splitlines()) if found]


@contextmanager
def deployed(
    database_url: str, folder: Path, given: Mapping[str, str], serve_processes: int = 2
) -> Iterator[Deployment]:
    """The processes started, then haproxy, and the deployment handed over when the balancer
    relays to each process; everything still running is stopped afterwards."""
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
    backends = [f"http://127.0.0.1:{backend}" for backend in ports]
    with stopped_afterwards([*serve, worker]):
        for url in backends:
            wait_until(partial(answers, f"{url}/healthz/ready"), f"{url} ready", [*serve, worker])
        # Started once they are ready, haproxy takes every one for up from the start.
        deployment = Deployment(
            balancer, backends, serve, worker, start_balancer(port, ports, folder, env)
        )
        with stopped_afterwards([deployment.haproxy]):
            wait_until(
                partial(relays_to_every_backend, deployment),
                "haproxy relays to every process",
                deployment.processes,
            )
            yield deployment


def relays_to_every_backend(deployment: Deployment) -> bool:
    return answers(f"{deployment.balancer}/healthz/ready") and all(
        relayed(serve, "127.0.0.1", "GET /healthz/ready") for serve in deployment.serve
    )
