"""Server time of the job feed at programme scale: 20,000 tailors, 50,000 open orders on Java.

Usage:
    .venv/bin/python benchmarks/feed.py                    # SQLite in a temporary file
    .venv/bin/python benchmarks/feed.py --postgres postgresql://postgres@127.0.0.1:5432/bench_feed
    .venv/bin/python benchmarks/feed.py --sqlite /tmp/feed.sqlite --http   # keep it, reuse it

Builds the database once (bulk inserts, deterministic: the same seed gives the same rows; a
database that already holds them is reused), then times `nearby_orders()` (everything /jobs
asks the database and computes) for a sample of tailors, and with --http a real GET /jobs
through uvicorn with a signed-in session. The PostgreSQL database must be a scratch one: it is
emptied first. Budget (ARCHITECTURE.md): p95 <= 25 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

import asyncpg  # noqa: E402
import h3  # noqa: E402
from piccolo.table import Table  # noqa: E402

from server import regions  # noqa: E402
from server.accounts.tables import Account  # noqa: E402
from server.db import close_database, migrate, open_database, use_database  # noqa: E402
from server.designers.tables import DesignerProfile  # noqa: E402
from server.garments import CATEGORIES  # noqa: E402
from server.orders.offers.feed import Feed, nearby_orders  # noqa: E402
from server.orders.tables import Order  # noqa: E402
from server.tailors.services import H3_RESOLUTION  # noqa: E402
from server.tailors.tables import TailorProfile, TailorSkill  # noqa: E402
from tests.processes import free_port  # noqa: E402

BUDGET_MS = 25.0
JAVA = ("31", "32", "33", "34", "35", "36")
JITTER_DEGREES = 0.08  # about 9 km around a kabupaten/kota centre
CHUNK = 500  # rows per INSERT: within SQLite's limit on bound variables
SCALES = (  # share, weekly capacity, minimum order, service radius (km), as in the demo data
    (70, (30, 130), (5, 15), (5, 15)),
    (25, (120, 310), (10, 35), (8, 25)),
    (5, (300, 520), (25, 55), (15, 30)),
)


def java_cities() -> list[regions.City]:
    return [
        city
        for city in regions.cities()
        if city.province_code in JAVA and city.code != "31.01"  # Kepulauan Seribu: at sea
    ]


def place(rng: random.Random, cities: Sequence[regions.City]) -> tuple[str, str, float, float]:
    city = rng.choice(cities)
    latitude = round(city.latitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 3)
    longitude = round(city.longitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 3)
    return city.province_code, city.code, latitude, longitude


def cell(latitude: float, longitude: float) -> str:
    return str(h3.latlng_to_cell(latitude, longitude, H3_RESOLUTION))


async def insert(rows: Sequence[Table]) -> None:
    for start in range(0, len(rows), CHUNK):
        await type(rows[0]).insert(*rows[start : start + CHUNK])


async def account_ids(role: str) -> list[int]:
    rows = await Account.select(Account.id).where(Account.role == role).order_by(Account.id)
    return [row["id"] for row in rows]


async def build(tailors: int, orders: int, designers: int, today: date, seed: int) -> None:
    rng = random.Random(seed)
    cities = java_cities()
    started = time.perf_counter()
    await insert(
        [
            Account(
                role=role,
                name=f"Bench {role} {number}",
                phone=f"+62899{prefix}{number:07d}",
                webauthn_user_id=f"bench-{role}-{number}",
            )
            for role, prefix, count in (("designer", 1, designers), ("tailor", 2, tailors))
            for number in range(count)
        ]
    )
    designer_ids = await account_ids("designer")
    await insert(
        [
            DesignerProfile(account=account, business_name=f"Konveksi Bench {number}")
            for number, account in enumerate(designer_ids)
        ]
    )
    profiles = []
    for account in await account_ids("tailor"):
        province, city, latitude, longitude = place(rng, cities)
        _share, capacity, minimum, radius = rng.choices(SCALES, weights=[s[0] for s in SCALES])[0]
        profiles.append(
            TailorProfile(
                account=account,
                province_code=province,
                city_code=city,
                latitude=latitude,
                longitude=longitude,
                h3_cell=cell(latitude, longitude),
                location_source="device",
                service_radius_km=rng.randint(*radius),
                weekly_capacity=rng.randrange(capacity[0], capacity[1], 10),
                minimum_order=rng.randrange(minimum[0], minimum[1], 5),
                available=True,
                verification="verified",
                certificate_expires_on=today + timedelta(days=900),
            )
        )
    await insert(profiles)
    rows = await TailorProfile.select(TailorProfile.id).order_by(TailorProfile.id)
    await insert(
        [
            TailorSkill(profile=row["id"], category=category)
            for row in rows
            for category in rng.sample(CATEGORIES, rng.choice((1, 2, 2, 3, 3, 4)))
        ]
    )
    published = datetime.now(UTC)
    batch = []
    for number in range(orders):
        province, city, latitude, longitude = place(rng, cities)
        quantity = rng.choice((12, 24, 36, 50, 60, 100, 120, 200, 300, 500, 1000))
        batch.append(
            Order(
                designer=rng.choice(designer_ids),
                category=rng.choice(CATEGORIES),
                title=f"Pesanan bench {number}",
                quantity=quantity,
                sizes=json.dumps({"M": quantity}),
                budget_per_piece=rng.randrange(25_000, 250_000, 5_000),
                deadline=today + timedelta(days=rng.randint(7, 90)),
                province_code=province,
                city_code=city,
                latitude=latitude,
                longitude=longitude,
                h3_cell=cell(latitude, longitude),
                mode=rng.choice(("bidding", "direct")),
                status="open",
                published_at=published - timedelta(minutes=rng.randint(1, 20_000)),
                dispatch_wave=1,
                dispatch_radius_km=5,
            )
        )
    await insert(batch)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)


async def ensure_data(args: argparse.Namespace, url: str, today: date) -> None:
    await migrate()
    have = (int(await TailorProfile.count()), int(await Order.count()))
    if have == (args.tailors, args.orders):
        print("  reusing the data already there", flush=True)
        return
    if have != (0, 0):
        sys.exit(f"feed benchmark: the database holds {have} tailors/orders; start from empty")
    await build(args.tailors, args.orders, args.designers, today, args.seed)
    if url.startswith("postgres"):
        # What autovacuum does within a minute of a bulk load; SQLite gets no statistics,
        # as in production, where the app never runs ANALYZE.
        await Order.raw("ANALYZE")


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def report(label: str, samples_ms: Sequence[float], extra: str = "") -> float:
    found = percentiles(samples_ms)
    verdict = "within" if found["p95"] <= BUDGET_MS else "OVER"
    print(
        f"  {label}: p50 {found['p50']:.1f} ms, p95 {found['p95']:.1f} ms, "
        f"p99 {found['p99']:.1f} ms, max {found['max']:.1f} ms over {len(samples_ms)} feeds"
        f"{extra} ({verdict} the {BUDGET_MS:.0f} ms budget)",
        flush=True,
    )
    return found["p95"]


async def timed_feeds(tailors: Sequence[int], today: date) -> tuple[list[float], list[Feed]]:
    samples, feeds = [], []
    for tailor in tailors:
        started = time.perf_counter()
        feeds.append(await nearby_orders(tailor, today))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, feeds


async def sample_tailors(size: int, seed: int) -> list[int]:
    everyone = await account_ids("tailor")
    return random.Random(seed + 1).sample(everyone, min(size, len(everyone)))


async def time_feed(sample: Sequence[int], today: date) -> float:
    await timed_feeds(sample[:50], today)  # warm up
    samples, feeds = await timed_feeds(sample, today)
    shown = statistics.fmean(len(feed.items) for feed in feeds)
    return report("nearby_orders()", samples, f", {shown:.1f} orders on a page")


def time_http(url: str, sample: Sequence[int], data_dir: Path) -> float | None:
    """GET /jobs through uvicorn on localhost, one signed-in tailor after another."""
    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    import uvicorn

    from server.app import create_app
    from server.auth.sessions import SESSION_COOKIE, start_session
    from server.settings import Settings

    port = free_port()
    settings = Settings(
        database_url=url,
        host="127.0.0.1",
        port=port,
        data_dir=data_dir,
        public_origin=f"http://localhost:{port}",
        secret_key=secrets.token_urlsafe(32),
        push_worker=False,
        log_level="WARNING",
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        tokens = [
            asyncio.run_coroutine_threadsafe(
                start_session(t, "benchmark", "passkey"), loop
            ).result()
            for t in sample
        ]
        samples = []
        with httpx.Client(base_url=f"http://localhost:{port}") as client:
            for number, token in enumerate([*tokens[:50], *tokens]):
                started = time.perf_counter()
                response = client.get("/jobs", cookies={SESSION_COOKIE: token})
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    print(f"  GET /jobs answered {response.status_code}: not timed", flush=True)
                    return None
                if number >= 50:
                    samples.append(elapsed)
        return report("GET /jobs over HTTP", samples)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def reset_postgres(url: str) -> None:
    if urlsplit(url).path.lstrip("/") in ("", "test", "postgres"):
        sys.exit("feed benchmark: give it a scratch database of its own, not test or postgres")
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def run_engine(args: argparse.Namespace, label: str, url: str) -> list[float]:
    print(f"{label}: {url} (load average {os.getloadavg()[0]:.1f})", flush=True)
    engine = use_database(url)
    today = datetime.now(UTC).date()
    await ensure_data(args, url, today)
    await open_database(engine, pool_size=10)
    try:
        sample = await sample_tailors(args.sample, args.seed)
        results = [await time_feed(sample, today)]
    finally:
        await close_database(engine)
    if args.http:
        with tempfile.TemporaryDirectory() as data_dir:
            http = await asyncio.to_thread(time_http, url, sample, Path(data_dir))
        if http is not None:
            results.append(http)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sqlite", type=Path, help="SQLite file to build or reuse (default: temp)")
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (it is emptied)")
    parser.add_argument("--reuse", action="store_true", help="keep the PostgreSQL data as is")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--http", action="store_true", help="also time GET /jobs over HTTP")
    parser.add_argument("--tailors", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--designers", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    worst: list[float] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as scratch:
            path = args.sqlite or Path(scratch) / "feed.sqlite"
            worst += asyncio.run(run_engine(args, "SQLite", f"sqlite:///{path}"))
    if args.postgres:
        if not args.reuse:
            asyncio.run(reset_postgres(args.postgres))
        worst += asyncio.run(run_engine(args, "PostgreSQL", args.postgres))
    sys.exit(0 if worst and max(worst) <= BUDGET_MS else 1)


if __name__ == "__main__":
    main()
