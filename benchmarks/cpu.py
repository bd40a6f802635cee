"""CPU per signed-in page, against a static file in the same run, and queries per page.

Usage:
    .venv/bin/python benchmarks/cpu.py                       # SQLite in a temporary folder
    .venv/bin/python benchmarks/cpu.py --postgres postgresql://postgres@127.0.0.1:5432/bench_cpu
    .venv/bin/python benchmarks/cpu.py --postgres URL --no-sqlite --requests 500

Loads the demo programme into a fresh database (the PostgreSQL one must be a scratch database:
it is emptied first), serves the app with uvicorn in a process of its own (through
benchmarks/counted_app.py, which adds each response's statement and connection counts), signs
in as the demo tailor and the demo designer, then for each page sends requests one after
another and reads the server process's CPU time (user + system, every thread) from
/proc/<pid>/stat before and after. Each page gets at least --requests requests and at least
--min-cpu seconds of the server's CPU (the kernel counts in 10 ms ticks), whichever is more,
bounded by 20 times --requests. Budget (ARCHITECTURE.md): a signed-in page within 6x of a
static file on PostgreSQL and 8x on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
# The demo-mode accounts (server/demo.py).
TAILOR_PHONE = "+6281200000001"
DESIGNER_PHONE = "+6281200000002"
BUDGET = {"SQLite": 8.0, "PostgreSQL": 6.0}
WARM_UP = 30
TICKS = os.sysconf("SC_CLK_TCK")
# An order of the demo designer made by the demo tailor, in production: both may open it.
SHARED_ORDER = (
    'SELECT o.public_id FROM "order" o'
    " JOIN account d ON d.id = o.designer JOIN account t ON t.id = o.assigned_tailor"
    " WHERE d.phone = {d} AND t.phone = {t} AND o.stage != '' ORDER BY o.id LIMIT 1"
)


@dataclass(frozen=True)
class Result:
    label: str
    requests: int
    cpu_ms: float
    wall_ms: float
    queries: str
    connections: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system time of every thread the process has run, the finished ones included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15


async def reset_postgres(url: str) -> None:
    if urlsplit(url).path.lstrip("/") in ("", "test", "postgres"):
        sys.exit("cpu benchmark: give it a scratch database of its own, not test or postgres")
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def postgres_order(url: str) -> str | None:
    connection = await asyncpg.connect(url)
    try:
        found = await connection.fetchval(
            SHARED_ORDER.format(d="$1", t="$2"), DESIGNER_PHONE, TAILOR_PHONE
        )
    finally:
        await connection.close()
    return str(found) if found else None


def shared_order(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            row = database.execute(
                SHARED_ORDER.format(d="?", t="?"), (DESIGNER_PHONE, TAILOR_PHONE)
            ).fetchone()
        found = str(row[0]) if row else None
    else:
        found = asyncio.run(postgres_order(database_url))
    if found is None:
        raise SystemExit("the demo designer has no order in production with the demo tailor")
    return f"/orders/{found}"


@contextmanager
def serving(database_url: str, data_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "DEMO": "1",
        "PUSH_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secrets.token_urlsafe(32),
    }
    python = sys.executable
    for command in ("migrate", "demo-data"):
        subprocess.run(
            [python, "-m", "server", command], env=env, cwd=ROOT, check=True, capture_output=True
        )
    process = subprocess.Popen(
        [
            *(python, "-m", "uvicorn", "benchmarks.counted_app:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        ],
        env=env,
        cwd=ROOT,
    )
    origin = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{origin}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield process, origin
    finally:
        process.terminate()
        process.wait(timeout=10)


def signed_in(origin: str, phone: str, encoding: str) -> httpx.Client:
    client = httpx.Client(base_url=origin, headers={"accept-encoding": encoding})
    client.get("/offline")  # receives the CSRF cookie
    answer = client.post(
        "/demo/sign-in", data={"phone": phone, "_csrf_token": client.cookies["csrftoken"]}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"demo sign-in as {phone} answered {answer.status_code}")
    return client


def measure(
    pid: int, client: httpx.Client, path: str, label: str, args: argparse.Namespace
) -> Result:
    for _ in range(WARM_UP):
        client.get(path)
    queries: set[str] = set()
    connections: set[str] = set()
    sent = 0
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    while sent < args.requests or (
        cpu_seconds(pid) - cpu_before < args.min_cpu and sent < 20 * args.requests
    ):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} ({label}) answered {response.status_code}")
        queries.add(response.headers.get("x-queries", "?"))
        connections.add(response.headers.get("x-connections", "?"))
        sent += 1
    cpu, wall = cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
    return Result(
        label,
        sent,
        cpu * 1000 / sent,
        wall * 1000 / sent,
        "/".join(sorted(queries, key=int)),
        "/".join(sorted(connections, key=int)),
    )


def static_path(client: httpx.Client) -> str:
    found = re.search(r"/static/[0-9a-f]+/css/app\.css", client.get("/offline").text)
    if found is None:
        raise RuntimeError("no stylesheet link on /offline")
    return found.group(0)


def run_engine(label: str, database_url: str, args: argparse.Namespace) -> list[Result]:
    print(f"{label}: loading the demo programme …", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as temp, serving(database_url, Path(temp)) as served:
        process, origin = served
        order = shared_order(database_url)
        tailor = signed_in(origin, TAILOR_PHONE, args.accept_encoding)
        designer = signed_in(origin, DESIGNER_PHONE, args.accept_encoding)
        # The static file as a first visit asks for it: no session cookie.
        visitor = httpx.Client(base_url=origin, headers={"accept-encoding": args.accept_encoding})
        pages = [
            (visitor, static_path(visitor), "static file"),
            (tailor, "/jobs", "/jobs (tailor)"),
            (designer, order, "/orders/{id} (designer)"),
            (tailor, order, "/orders/{id} (tailor)"),
            (designer, "/home", "/home (designer)"),
            (tailor, "/home", "/home (tailor)"),
        ]
        results = []
        for client, path, page in pages:
            print(f"  {page} …", file=sys.stderr, flush=True)
            results.append(measure(process.pid, client, path, page, args))
        for client in (visitor, tailor, designer):
            client.close()
        return results


def table(label: str, results: Sequence[Result]) -> str:
    static = results[0].cpu_ms
    lines = [
        f"\n**{label}** (budget: pages within {BUDGET[label]:.0f}× of the static file)\n",
        "| page | requests | CPU ms/request | × static | wall ms/request | queries | connections |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.label} | {result.requests} | {result.cpu_ms:.2f} "
            f"| {result.cpu_ms / static:.1f} | {result.wall_ms:.2f} "
            f"| {result.queries} | {result.connections} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is emptied)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--requests", type=int, default=300, help="at least this many per page")
    parser.add_argument("--min-cpu", type=float, default=0.5, help="server CPU seconds per page")
    parser.add_argument(
        "--accept-encoding", default="identity", help="as a browser would send (gzip, br)"
    )
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    output = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as scratch:
            url = f"sqlite:///{Path(scratch) / 'cpu.sqlite'}"
            output.append(table("SQLite", run_engine("SQLite", url, args)))
    if args.postgres:
        asyncio.run(reset_postgres(args.postgres))
        output.append(table("PostgreSQL", run_engine("PostgreSQL", args.postgres, args)))
    print("\n".join(output))


if __name__ == "__main__":
    main()
