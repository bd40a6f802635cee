"""deploy/haproxy.cfg, the load balancer the deployment example runs: Debian's haproxy, and the
example itself with a test's own ports in place of the example's."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.processes import Process, launch

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
HAPROXY_CFG = DEPLOY / "haproxy.cfg"
BIND = re.compile(r"^(\s+bind )127\.0\.0\.1:8080$", re.MULTILINE)
# The run of `server` lines that ends each backend.
SERVERS = re.compile(r"^(?:\s+server \S+ \S+\n?)+", re.MULTILINE)


def haproxy() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        # `make test` installs it, as it installs Chromium: missing, a test fails, never skips.
        pytest.fail("haproxy is not installed: `make haproxy` installs it")
    return found


def example_on_ports(port: int, backends: Sequence[int]) -> str:
    """The example, listening on `port` and balancing over the processes on `backends`; every
    other line as it is written."""
    text = HAPROXY_CFG.read_text()
    text, binds = BIND.subn(rf"\g<1>127.0.0.1:{port}", text)
    servers = "".join(f"    server serve{backend} 127.0.0.1:{backend}\n" for backend in backends)
    text, backend_sections = SERVERS.subn(servers, text)
    assert (binds, backend_sections) == (1, 2), "deploy/haproxy.cfg changed its shape"
    return text


def start_balancer(
    port: int, backends: Sequence[int], folder: Path, env: Mapping[str, str]
) -> Process:
    """haproxy in the foreground on the example for these ports (its config kept in `folder`)."""
    config = folder / "haproxy.cfg"
    config.write_text(example_on_ports(port, backends))
    return launch("haproxy", [haproxy(), "-db", "-f", str(config)], env, folder)
