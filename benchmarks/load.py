"""Clothing Line under load: requests/s and latency per endpoint, CPU per request and memory.

Usage:
    .venv/bin/python benchmarks/load.py         # one process on SQLite, 50 then 200 users
    .venv/bin/python benchmarks/load.py --postgres postgresql://postgres@127.0.0.1:5432/bench_load
    .venv/bin/python benchmarks/load.py --users 10 --duration 10 --postgres URL   # a quick look

Needs locust: `pip install -e '.[bench]'`. Two deployments, each on fresh data (migrate, then
`clothingline demo-data`: 375 tailors, 13 designers, 30 orders):
  - SQLite: one `clothingline serve` (PUSH_WORKER=1, the simple start) on a fresh file;
  - PostgreSQL (with --postgres, a scratch database: its public schema is dropped first):
    --processes `clothingline serve` (PUSH_WORKER=0, shared SECRET_KEY and VAPID_PRIVATE_KEY) and
    one `clothingline worker` behind haproxy, configured from deploy/haproxy.cfg.
Sessions are started beforehand for demo tailors and designers with the server's own
start_session(). locust (as a library, headless) then runs each user count for --duration
seconds after a --ramp of spawning, with a mix of tailors (the job feed, order pages, now and
then an offer, their work list and home), designers (home, order list, order pages) and signed-out
visitors (the landing page and the files it names): see benchmarks/locustfile.py.

Reported per deployment and user count, over the measured window only: requests/s, p50/p95/p99
and errors per endpoint; CPU per request of the serving processes (utime+stime from /proc, and
the PostgreSQL backends serving the database); how long they were ready to run but waited for a
core (/proc/<pid>/task/*/schedstat: other work on the machine); the largest resident memory
sampled per process; haproxy's notices (a backend taken out when its readiness check times
out). Then, in the same run with the load stopped, one client asks GET /jobs (a signed-in
tailor) and a static file in turn: the ratio of their p50 latencies and of their CPU per
request. The machine's load average is printed beside the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.client import HTTPConnection
from itertools import cycle
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin:" + os.environ["PATH"])
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.25
STATIC_PROBE = "css/app.css"


@dataclass
class Deployment:
    """What serves: the address users reach and the processes whose CPU and memory count."""

    label: str
    origin: str
    database_url: str
    processes: dict[str, int]  # name -> pid: serve processes first, then worker, haproxy
    balancer_log: Path | None  # haproxy's output (servers going down or up)
    tailors: Iterator[str]  # session tokens, handed to the users in turn
    designers: Iterator[str]

    @property
    def serving(self) -> list[int]:
        return [pid for name, pid in self.processes.items() if name.startswith("serve")]


# Preparing the data: run before locust is imported, as its gevent patches would reach asyncio.


def clothingline(env: dict[str, str], *command: str) -> None:
    """A command whose output is shown only if it fails (migrate reports every migration)."""
    result = subprocess.run(
        [sys.executable, "-m", "server", *command], env=env, cwd=ROOT, capture_output=True
    )
    if result.returncode != 0:
        sys.exit(f"clothingline {command[0]} failed:\n{(result.stdout + result.stderr).decode()}")


async def empty_postgres(url: str) -> None:
    import asyncpg

    if urlsplit(url).path.lstrip("/") in ("", "test", "postgres"):
        sys.exit("load benchmark: give it a scratch database of its own, not test or postgres")
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def start_sessions(url: str, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Signed-in sessions, as a passkey sign-in starts them: one for each of `count` verified
    tailors (fewer if there are fewer; first those with orders near them, so that order pages
    get opened), and `count` spread over the designers."""
    from server.accounts.tables import Account, Role
    from server.auth.sessions import start_session
    from server.db import close_database, open_database, use_database
    from server.orders.offers.feed import nearby_orders
    from server.tailors.services import today
    from server.tailors.tables import TailorProfile

    engine = use_database(url)
    await open_database(engine, pool_size=2)
    try:
        rows = await TailorProfile.select(TailorProfile.account).where(
            (TailorProfile.verification == "verified") & TailorProfile.available.eq(True)
        )
        verified = sorted(row["account"] for row in rows)
        random.Random(seed).shuffle(verified)
        busy = {t for t in verified if (await nearby_orders(t, today(), limit=1)).items}
        tailors = sorted(verified, key=lambda tailor: tailor not in busy)[:count]
        rows = await Account.select(Account.id).where(Account.role == Role.DESIGNER)
        designers = [row["id"] for row, _ in zip(cycle(rows), range(count), strict=False)]
        agent = "Mozilla/5.0 (Linux; Android 14) load benchmark"
        print(f"  {len(busy)} of {len(verified)} verified tailors have orders near them")
        return (
            [await start_session(account, agent, "passkey") for account in tailors],
            [await start_session(account, agent, "passkey") for account in designers],
        )
    finally:
        await close_database(engine)


def prepare(env: dict[str, str], sessions: int, seed: int) -> tuple[list[str], list[str]]:
    print(f"{env['DATABASE_URL']}: migrate, demo-data, {sessions} sessions a role", flush=True)
    clothingline(env, "migrate")
    clothingline(env, "demo-data")
    return asyncio.run(start_sessions(env["DATABASE_URL"], sessions, seed))


# Starting the processes.


def wait_ready(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")


def start(stack: ExitStack, command: Sequence[str], env: dict[str, str], log: Path) -> int:
    """A process until the stack closes: then stopped (SIGTERM, then SIGKILL). Its output goes
    to `log`, beside the data folder, and is printed if it fails."""
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode not in (0, -signal.SIGTERM):
            print(f"{' '.join(command)} ended with {process.returncode}:\n{log.read_text()}")

    stack.callback(stop)
    return process.pid


def serve(stack: ExitStack, env: dict[str, str], port: int) -> int:
    command = [sys.executable, "-m", "server", "serve", "--port", str(port)]
    pid = start(stack, command, env, logs(env) / f"serve-{port}.log")
    wait_ready(f"http://127.0.0.1:{port}/healthz/ready")
    return pid


def logs(env: dict[str, str]) -> Path:
    """The folder beside DATA_DIR, for the processes' output and haproxy's configuration."""
    return Path(env["DATA_DIR"]).parent


@dataclass
class Prepared:
    """A deployment's data, ready to serve: its environment, port and signed-in sessions."""

    env: dict[str, str]
    port: int
    tailors: list[str]
    designers: list[str]


def base_env(data_dir: Path, database_url: str, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DEMO", "SECRET_KEY")}
    return {
        **env,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "PUBLIC_ORIGIN": f"http://localhost:{port}",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def prepare_sqlite(folders: ExitStack, args: argparse.Namespace) -> Prepared:
    data_dir = Path(folders.enter_context(tempfile.TemporaryDirectory())) / "data"
    port = free_port()
    env = base_env(data_dir, f"sqlite:///{data_dir / 'clothingline.sqlite'}", port)
    return Prepared(env, port, *prepare(env, max(args.users), args.seed))


def start_sqlite(stack: ExitStack, prepared: Prepared, args: argparse.Namespace) -> Deployment:
    return Deployment(
        label="SQLite, one `clothingline serve` (PUSH_WORKER=1)",
        origin=f"http://localhost:{prepared.port}",
        database_url=prepared.env["DATABASE_URL"],
        processes={"serve": serve(stack, prepared.env, prepared.port)},
        balancer_log=None,
        tailors=cycle(prepared.tailors),
        designers=cycle(prepared.designers),
    )


def haproxy_config(front: int, backends: Sequence[int]) -> str:
    """deploy/haproxy.cfg, listening on `front` with these serve processes in both backends."""
    servers = re.compile(r"^(\s+)server serve\d+ 127\.0\.0\.1:\d+$")
    lines: list[str] = []
    for line in HAPROXY_CFG.read_text().splitlines():
        found = servers.match(line)
        if found is None:
            lines.append(line.replace("bind 127.0.0.1:8080", f"bind 127.0.0.1:{front}"))
        elif not servers.match(lines[-1]):  # the first of a backend's servers: write them all
            indent = found.group(1)
            lines += [f"{indent}server serve{port} 127.0.0.1:{port}" for port in backends]
    # No syslog socket here; haproxy's own log lines are not part of the measurement.
    text = "\n".join(line for line in lines if line.strip() != "log /dev/log local0") + "\n"
    assert f"bind 127.0.0.1:{front}" in text and f"127.0.0.1:{backends[-1]}" in text
    return text


def prepare_postgres(folders: ExitStack, args: argparse.Namespace) -> Prepared:
    from py_vapid import Vapid02

    if HAPROXY is None:
        sys.exit("load benchmark: haproxy is not installed (`make haproxy` installs it)")
    asyncio.run(empty_postgres(args.postgres))
    data_dir = Path(folders.enter_context(tempfile.TemporaryDirectory())) / "data"
    front = free_port()
    vapid = Vapid02()
    vapid.generate_keys()
    env = {
        **base_env(data_dir, args.postgres, front),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "VAPID_PRIVATE_KEY": vapid.private_pem().decode(),
        "PUSH_WORKER": "0",
    }
    return Prepared(env, front, *prepare(env, max(args.users), args.seed))


def start_postgres(stack: ExitStack, prepared: Prepared, args: argparse.Namespace) -> Deployment:
    assert HAPROXY is not None
    env, front = prepared.env, prepared.port
    ports = [free_port() for _ in range(args.processes)]
    processes = {f"serve {port}": serve(stack, env, port) for port in ports}
    worker = [sys.executable, "-m", "server", "worker"]
    processes["worker"] = start(stack, worker, env, logs(env) / "worker.log")
    config = logs(env) / "haproxy.cfg"
    config.write_text(haproxy_config(front, ports))
    subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], check=True)
    haproxy = [HAPROXY, "-db", "-f", str(config)]
    balancer_log = logs(env) / "haproxy.log"
    processes["haproxy"] = start(stack, haproxy, dict(os.environ), balancer_log)
    wait_ready(f"http://127.0.0.1:{front}/healthz/ready")
    return Deployment(
        label=f"PostgreSQL, {args.processes} `clothingline serve` (PUSH_WORKER=0) + 1 worker "
        "behind haproxy",
        origin=f"http://localhost:{front}",
        database_url=args.postgres,
        processes=processes,
        balancer_log=balancer_log,
        tailors=cycle(prepared.tailors),
        designers=cycle(prepared.designers),
    )


# Measuring.


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, after the name)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


def waiting_seconds(pid: int) -> float:
    """How long the process's threads were ready to run but waited for a core held by other
    work, on a shared machine (the second field of /proc/<pid>/task/*/schedstat; threads that
    ended are not counted)."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the thread ended meanwhile
    return total / 1e9


def resident_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def database_backends(deployment: Deployment) -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database (on this machine)."""
    if deployment.database_url.startswith("sqlite"):
        return []
    database = urlsplit(deployment.database_url).path.lstrip("/")
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'"  # noqa: S608
    result = subprocess.run(
        ["psql", "-Atc", query, deployment.database_url], capture_output=True, text=True
    )
    return [int(line) for line in result.stdout.split()] if result.returncode == 0 else []


@dataclass
class ProcessClock:
    """CPU seconds (or another per-process count of seconds) of some processes from one
    moment; PostgreSQL backends that appear later count from zero (they started within)."""

    pids: list[int]
    read: Callable[[int], float] = cpu_seconds
    started: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.started = {pid: self.read(pid) for pid in self.pids}

    def elapsed(self, pids: Sequence[int] | None = None) -> float:
        chosen = self.pids if pids is None else pids
        return sum(self.read(pid) - self.started.get(pid, 0.0) for pid in chosen)


@dataclass
class Window:
    """What one user count did while measured."""

    users: int
    seconds: float
    times_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    causes: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # "name: error"
    balancer: list[str] = field(default_factory=list)  # what haproxy said meanwhile
    cpu: dict[str, float] = field(default_factory=dict)  # process name -> CPU seconds
    waited: dict[str, float] = field(default_factory=dict)  # seconds ready but not running
    peak_mb: dict[str, float] = field(default_factory=dict)
    client_cpu: float = 0.0  # the load generator's own CPU seconds
    load_average: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.times_ms.values())


def percentile(ordered: Sequence[float], share: float) -> float:
    if len(ordered) < 2:
        return ordered[0] if ordered else float("nan")
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(share * 100) - 1]


class Observer:
    """From now on: the processes' CPU and waits for a core, their memory (sampled in a
    greenlet) and what haproxy says, until `finish` writes them into the window."""

    def __init__(self, deployment: Deployment) -> None:
        import gevent

        self.deployment = deployment
        self.backends = database_backends(deployment)
        pids = [*deployment.processes.values(), *self.backends]
        self.cpu = ProcessClock(pids)
        self.queue = ProcessClock(pids, waiting_seconds)
        self.client = os.times()
        self.peaks = dict.fromkeys(deployment.processes, 0.0)
        log = deployment.balancer_log
        self.said = log.stat().st_size if log else 0
        self.sampler = gevent.spawn(self.sample)

    def sample(self) -> None:
        import gevent

        while True:
            for name, pid in self.deployment.processes.items():
                self.peaks[name] = max(self.peaks[name], resident_mb(pid))
            gevent.sleep(SAMPLE_SECONDS)

    def finish(self, window: Window) -> None:
        self.sampler.kill()
        processes = self.deployment.processes
        window.cpu = {name: self.cpu.elapsed([pid]) for name, pid in processes.items()}
        window.waited = {name: self.queue.elapsed([pid]) for name, pid in processes.items()}
        backends = sorted({*self.backends, *database_backends(self.deployment)})
        if backends:
            window.cpu["PostgreSQL backends"] = self.cpu.elapsed(backends)
            window.waited["PostgreSQL backends"] = self.queue.elapsed(backends)
        after = os.times()
        window.client_cpu = after.user + after.system - self.client.user - self.client.system
        window.load_average = os.getloadavg()[0]
        window.peak_mb = self.peaks
        if self.deployment.balancer_log:
            with self.deployment.balancer_log.open() as log:
                log.seek(self.said)
                window.balancer = [line.strip() for line in log if line.strip()]


def run_load(deployment: Deployment, users: int, args: argparse.Namespace) -> Window:
    """Start the users over the ramp, then record every request for --duration seconds."""
    # Preparing the data imported ssl (through pywebpush); the run itself uses no TLS.
    warnings.filterwarnings("ignore", message="Monkey-patching ssl after ssl")
    import gevent
    from locust.env import Environment

    from benchmarks.locustfile import Designer, Tailor, Visitor

    Tailor.sessions, Designer.sessions = deployment.tailors, deployment.designers
    environment = Environment(user_classes=[Tailor, Designer, Visitor], host=deployment.origin)
    window = Window(users=users, seconds=0.0)
    recording = False

    def record(name: str, response_time: float, exception: Any, **_: Any) -> None:
        if recording:
            window.times_ms[name].append(response_time)
            if exception is not None:
                window.errors[name] += 1
                window.causes[f"{name}: {exception}"] += 1

    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users / args.ramp)
    ramp_deadline = time.monotonic() + args.ramp + 30
    while runner.user_count < users and time.monotonic() < ramp_deadline:
        gevent.sleep(0.1)
    gevent.sleep(1.0)  # the last users' first page

    observer = Observer(deployment)
    began = time.monotonic()
    recording = True
    while (elapsed := time.monotonic() - began) < args.duration:
        gevent.sleep(min(10.0, args.duration - elapsed))
        done, seconds = window.requests, time.monotonic() - began
        print(
            f"    {users} users, {seconds:.0f}/{args.duration:.0f} s: {done} requests, "
            f"{done / seconds:.1f}/s, {sum(window.errors.values())} errors",
            flush=True,
        )
    recording = False
    window.seconds = time.monotonic() - began
    observer.finish(window)
    runner.quit()
    runner.greenlet.join()
    return window


@dataclass
class Probe:
    """One client asking for one path, one request after another on a kept-alive connection;
    the CPU of the serve processes (and of the PostgreSQL backends) is read around each batch."""

    deployment: Deployment
    path: str
    backends: list[int]
    cookie: str = ""
    times_ms: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    database_seconds: float = 0.0

    def __post_init__(self) -> None:
        origin = urlsplit(self.deployment.origin)
        self.connection = HTTPConnection("127.0.0.1", origin.port, timeout=30)
        self.headers = {"Host": origin.netloc, "Accept": "text/html", "Accept-Encoding": "br, gzip"}
        if self.cookie:
            self.headers["Cookie"] = self.cookie

    def get(self) -> float:
        started = time.perf_counter()
        self.connection.request("GET", self.path, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {self.path} answered {response.status}")
        return (time.perf_counter() - started) * 1000

    def batch(self, count: int) -> None:
        clock = ProcessClock([*self.deployment.serving, *self.backends])
        self.times_ms += [self.get() for _ in range(count)]
        self.cpu_seconds += clock.elapsed(self.deployment.serving)
        self.database_seconds += clock.elapsed(self.backends)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / len(self.times_ms)

    @property
    def database_ms(self) -> float:
        return self.database_seconds * 1000 / len(self.times_ms)


def compare(jobs: Probe, static: Probe, count: int, rounds: int = 5) -> None:
    """Batches of each in turn, so that a change in the machine's load falls on both; the
    static file gets five times the requests, as each costs little CPU against /proc's
    10 ms clock tick."""
    for probe in (jobs, static):
        for _ in range(10):  # warm
            probe.get()
    for _ in range(rounds):
        jobs.batch(count // rounds)
        static.batch(5 * count // rounds)


def static_path(origin: str) -> str:
    with urllib.request.urlopen(origin + "/", timeout=10) as response:  # noqa: S310 (localhost)
        page = response.read().decode()
    found = re.search(r'"(/static/[0-9a-f]+/' + re.escape(STATIC_PROBE) + ')"', page)
    if found is None:
        raise RuntimeError(f"the landing page names no {STATIC_PROBE}")
    return found.group(1)


# Reporting.


def report_window(deployment: Deployment, window: Window) -> None:
    requests = window.requests
    print(
        f"\n#### {deployment.label}: {window.users} users, {window.seconds:.0f} s measured "
        f"(load average {window.load_average:.1f} at the end)\n"
    )
    print("| endpoint | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = sorted(window.times_ms.items(), key=lambda item: -len(item[1]))
    everything = sorted(time for _name, times in rows for time in times)
    for name, times in [*rows, ("**all**", everything)]:
        ordered = sorted(times)
        errors = sum(window.errors.values()) if name == "**all**" else window.errors[name]
        print(
            f"| {name} | {len(ordered)} | {len(ordered) / window.seconds:.1f} | "
            f"{percentile(ordered, 0.50):.0f} | {percentile(ordered, 0.95):.0f} | "
            f"{percentile(ordered, 0.99):.0f} | {errors} |"
        )
    per_request = {name: cpu * 1000 / max(requests, 1) for name, cpu in window.cpu.items()}
    serving = {name: ms for name, ms in per_request.items() if name.startswith("serve")}
    print(f"\nCPU per request (over all {requests} requests):\n")
    print(
        f"- serve processes: {sum(serving.values()):.2f} ms"
        + (" (" + ", ".join(f"{n} {ms:.2f} ms" for n, ms in serving.items()) + ")")
        * (len(serving) > 1)
    )
    for name, ms in per_request.items():
        if name not in serving:
            print(f"- {name}: {ms:.2f} ms")
    print(f"- in all: {sum(per_request.values()):.2f} ms")
    busy = {**window.cpu, "the load generator (locust)": window.client_cpu}
    cores = ", ".join(f"{name} {cpu / window.seconds:.2f}" for name, cpu in busy.items())
    print(f"\nCores busy (CPU seconds a second): {cores}")
    waits = ", ".join(f"{name} {ms / window.seconds:.2f}" for name, ms in window.waited.items())
    print(f"\nReady to run but waiting for a core (seconds a second): {waits}")
    peaks = ", ".join(f"{name} {mb:.0f} MB" for name, mb in window.peak_mb.items())
    print(f"\nResident memory, the largest sampled: {peaks}")
    if window.causes:
        print("\nErrors:\n")
        for cause, count in sorted(window.causes.items(), key=lambda item: -item[1]):
            print(f"- {count} × {cause}")
    if window.balancer:
        print("\nhaproxy meanwhile:\n")
        for line in window.balancer:
            print(f"- {line}")


def report_probe(deployment: Deployment, jobs: Probe, static: Probe) -> None:
    print(
        f"\n#### {deployment.label}: /jobs against a static file, one client, the load stopped "
        f"(load average {os.getloadavg()[0]:.1f})\n"
    )
    database = " PostgreSQL backends |" if jobs.backends else ""
    print(f"| request | requests | p50 ms | CPU ms per request: serve processes |{database}")
    print("| --- | ---: | ---: | ---: |" + " ---: |" * bool(jobs.backends))
    for found in (jobs, static):
        print(
            f"| GET {found.path} | {len(found.times_ms)} | {found.p50_ms:.2f} | "
            f"{found.cpu_ms:.2f} |" + f" {found.database_ms:.2f} |" * bool(found.backends)
        )
    latency = jobs.p50_ms / static.p50_ms
    cpu = jobs.cpu_ms / static.cpu_ms if static.cpu_ms else float("inf")
    print(f"\n/jobs-to-static ratio: {latency:.1f}x in p50 latency, {cpu:.1f}x in CPU")


def measure(deployment: Deployment, args: argparse.Namespace) -> None:
    print(f"\n### {deployment.label} at {deployment.origin}\n", flush=True)
    for users in args.users:
        report_window(deployment, run_load(deployment, users, args))
    from server.auth.sessions import SESSION_COOKIE

    backends = database_backends(deployment)
    tailor = f"{SESSION_COOKIE}={next(deployment.tailors)}"
    jobs = Probe(deployment, "/jobs", backends, cookie=tailor)
    static = Probe(deployment, static_path(deployment.origin), backends)
    compare(jobs, static, args.probe)
    report_probe(deployment, jobs, static)


Starter = Callable[[ExitStack, Prepared, argparse.Namespace], Deployment]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200], help="one run each")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured per count")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds to start the users")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is emptied)")
    parser.add_argument("--processes", type=int, default=2, help="serve processes on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--probe", type=int, default=200, help="GETs of /jobs after the load")
    parser.add_argument("--seed", type=int, default=2026, help="which tailors sign in")
    args = parser.parse_args(argv)
    print(f"load benchmark on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    plans: list[tuple[Starter, Prepared]] = []
    with ExitStack() as folders:
        # Every database is prepared before locust is imported (and gevent patches the world).
        if not args.no_sqlite:
            plans.append((start_sqlite, prepare_sqlite(folders, args)))
        if args.postgres:
            plans.append((start_postgres, prepare_postgres(folders, args)))
        for start_deployment, prepared in plans:
            with ExitStack() as processes:
                measure(start_deployment(processes, prepared, args), args)


if __name__ == "__main__":
    main()
