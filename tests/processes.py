"""Processes a test starts (`clothingline serve`, `clothingline worker`, haproxy): their output
kept in a file, polled until they answer, and stopped however the test ends; and the app served
by uvicorn in a thread of the test's own process."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
import uvicorn
from litestar import Litestar

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_S = 60.0  # a process on a busy 2-core machine imports, connects and listens
T = TypeVar("T")


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


class ThreadedServer:
    """The app under uvicorn in a thread of its own, on 127.0.0.1:`port`, as `clothingline serve`
    runs it (`options` are uvicorn's, such as the proxy's). `call` runs a coroutine on the
    server's event loop. A context manager: serving from the start of the block to its end."""

    def __init__(self, app: Litestar, port: int, **options: Any) -> None:
        self.port = port
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
        self.server = uvicorn.Server(config)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with asyncio.Runner() as runner:
            self.loop = runner.get_loop()
            runner.run(self.server.serve())

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + START_S
        while not self.server.started:
            assert self.thread.is_alive(), "uvicorn stopped"
            assert time.monotonic() < deadline, f"uvicorn did not listen within {START_S:g} s"
            threading.Event().wait(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def __enter__(self) -> ThreadedServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
