"""Resident memory of one server process under many concurrent compressed page loads.

Usage:
    .venv/bin/python benchmarks/memory.py
    .venv/bin/python benchmarks/memory.py --connections 200 --rounds 5 --as tailor /jobs

Serves the app afresh with `python -m server serve` (uvicorn, one process) on a free localhost
port with a fresh SQLite database and the demo data, signs in a demo account, then for each
encoding (br, then gzip, each on a fresh server) opens N keep-alive connections at once that
each fetch the signed-in page ROUNDS times with that `Accept-Encoding`. Samples the server's
VmRSS in /proc every few milliseconds (psutil's RSS if installed) and reads VmHWM (the
kernel's own peak) at the end. Bounded in time: each run stops after --timeout seconds.
Budget (issue 15): under 250 MB resident per process at 200 concurrent users.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_weight import DEMO_PHONES, start_server  # noqa: E402
from tests.processes import free_port  # noqa: E402

BUDGET_MB = 250.0
MB = 1024 * 1024
SAMPLE_SECONDS = 0.005


def proc_status(pid: int, field: str) -> float:
    """A memory line of /proc/<pid>/status, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / MB
    return 0.0


def resident(pid: int) -> float:
    try:
        import psutil
    except ImportError:
        return proc_status(pid, "VmRSS")
    return float(psutil.Process(pid).memory_info().rss) / MB


def session_cookie_header(origin: str, phone: str) -> str:
    """Demo sign-in over HTTP; returns the Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{origin}/offline", timeout=10).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"phone": phone, "_csrf_token": token}).encode()
    url = f"{origin}/demo/sign-in"  # always http://localhost
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    request.add_header("X-CSRFToken", str(token))
    try:
        opener.open(request, timeout=10).read()
    except urllib.error.HTTPError as error:
        if error.code >= 400:
            raise
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int]:
    """One HTTP/1.1 response: status, headers, body length (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    return status, headers, size


async def client(
    port: int, path: str, cookie: str, encoding: str, rounds: int, start: asyncio.Event
) -> tuple[int, set[str], int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nCookie: {cookie}\r\n"
        f"Accept-Encoding: {encoding}\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    await start.wait()
    ok, encodings, size = 0, set(), 0
    for _ in range(rounds):
        writer.write(request)
        await writer.drain()
        status, headers, size = await read_response(reader)
        if status == 200:
            ok += 1
        encodings.add(headers.get("content-encoding", "identity"))
    writer.close()
    return ok, encodings, size


async def load(
    port: int, path: str, cookie: str, encoding: str, connections: int, rounds: int
) -> tuple[int, set[str], int]:
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(client(port, path, cookie, encoding, rounds, start))
        for _ in range(connections)
    ]
    await asyncio.sleep(0.5)  # every connection open and idle first
    start.set()
    results = await asyncio.gather(*tasks)
    encodings: set[str] = set().union(*(result[1] for result in results))
    return sum(result[0] for result in results), encodings, results[0][2]


def run(encoding: str, role: str, path: str, connections: int, rounds: int, timeout: float) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        process = start_server(Path(folder), port, demo=True)
        try:
            origin = f"http://localhost:{port}"
            cookie = session_cookie_header(origin, DEMO_PHONES[role])
            asyncio.run(load(port, path, cookie, encoding, 2, 2))  # warm
            idle = resident(process.pid)
            peak = [idle]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], resident(process.pid))
                    time.sleep(SAMPLE_SECONDS)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            began = time.monotonic()
            ok, encodings, size = asyncio.run(
                asyncio.wait_for(
                    load(port, path, cookie, encoding, connections, rounds), timeout=timeout
                )
            )
            seconds = time.monotonic() - began
            done.set()
            sampler.join()
            hwm = proc_status(process.pid, "VmHWM")
            after = resident(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    top = max(peak[0], hwm)
    total = connections * rounds
    print(
        f"{encoding:>5} {path} as {role}: {connections} connections x {rounds}, "
        f"{ok}/{total} OK in {seconds:.1f} s, Content-Encoding {sorted(encodings)}, "
        f"{size} B a page; RSS idle {idle:.0f} MB, peak {top:.0f} MB (VmHWM {hwm:.0f}), "
        f"after {after:.0f} MB {'OK' if top < BUDGET_MB else 'OVER BUDGET'}"
    )
    return top < BUDGET_MB and ok == total and encodings == {encoding}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default="/jobs")
    parser.add_argument("--as", dest="role", default="tailor", choices=sorted(DEMO_PHONES))
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--encoding", action="append", choices=["br", "gzip", "identity"])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    results = [
        run(encoding, args.role, args.path, args.connections, args.rounds, args.timeout)
        for encoding in args.encoding or ["br", "gzip"]
    ]
    print(f"budget: peak < {BUDGET_MB:.0f} MB per process")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
