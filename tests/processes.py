"""Processes a test starts (`clothingline serve`, `clothingline worker`, haproxy): their output
kept in a file, polled until they answer, and stopped however the test ends."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_S = 60.0  # a process on a busy 2-core machine imports, connects and listens


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@contextmanager
def stopped_afterwards(processes: list[Process]) -> Iterator[None]:
    """Every process still running is stopped when the block ends, the last started first."""
    try:
        yield
    finally:
        for process in reversed(processes):
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in processes:
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
