"""What serving a photo costs from each storage: the local folder, and an S3-compatible bucket.

Usage:
    .venv/bin/python benchmarks/media.py                  # 2,000 requests, 8 at a time
    .venv/bin/python benchmarks/media.py --requests 5000 --concurrency 16

One app process under uvicorn on a temporary SQLite file; the bucket is moto's local S3
server in a process of its own (`moto_server`, from the test extra), so its CPU is not the
app's. A signed-in owner GETs one photo's large rendition again and again. A cloud bucket adds
its network round trip on top of what this shows; the local server shows the app's own cost
of going through the client (and the thread it runs in).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

import boto3  # noqa: E402
import httpx  # noqa: E402

from server.accounts.services import (  # noqa: E402
    insert_account,
    new_webauthn_user_id,
    validate_registration,
)
from server.auth.sessions import SESSION_COOKIE, start_session  # noqa: E402
from server.db import migrate, use_database  # noqa: E402
from server.media.services import MediaStore, store_photo  # noqa: E402
from server.settings import MediaSettings, Settings  # noqa: E402
from tests.images import jpeg_with_gps  # noqa: E402
from tests.processes import free_port  # noqa: E402

KEYS = {"s3_access_key": "bench", "s3_secret_key": "bench-secret"}


@contextmanager
def moto_bucket() -> Iterator[MediaSettings]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    media = MediaSettings(
        store="s3", s3_endpoint=f"http://127.0.0.1:{port}", s3_bucket="photos", **KEYS
    )
    client = boto3.client(
        "s3",
        endpoint_url=media.s3_endpoint,
        region_name=media.s3_region,
        aws_access_key_id=media.s3_access_key,
        aws_secret_access_key=media.s3_secret_key,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=media.s3_bucket)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield media
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def serving(env: dict[str, str], port: int) -> Iterator[str]:
    """`clothingline serve` in a process of its own: the measuring client shares no GIL."""
    command = [sys.executable, "-m", "server", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env={**os.environ, **env}, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{origin}/healthz/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=30)


async def owner_with_photo(settings: Settings) -> tuple[str, str]:
    registration = validate_registration("designer", "Dewi Kirana", "0813-5555-0000", admin=True)
    account_id = await insert_account(registration, new_webauthn_user_id())
    photo = await store_photo(MediaStore.open(settings), account_id, "logo", jpeg_with_gps())
    token = await start_session(account_id, "Chrome on Android", "passkey")
    return token, f"/media/{photo['public_id']}/large.webp"


def measure(origin: str, token: str, path: str, requests: int, concurrency: int) -> str:
    cookies = {SESSION_COOKIE: token} if token else {}
    with httpx.Client(base_url=origin, cookies=cookies, timeout=30) as client:
        for _ in range(50):  # warm up
            assert client.get(path).status_code == 200

        def timed(_index: int) -> float:
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            return time.perf_counter() - start

        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = sorted(pool.map(timed, range(requests)))
        elapsed = time.perf_counter() - start
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    return f"{requests / elapsed:7.0f} requests/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"


def run(store: str, media: MediaSettings, args: argparse.Namespace, folder: Path) -> None:
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{folder / f'{store}.sqlite'}",
        "DATA_DIR": str(folder / store),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PUSH_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        **{f"MEDIA_{item.name.upper()}": str(getattr(media, item.name)) for item in fields(media)},
    }
    settings = Settings.from_env(env)
    use_database(settings.database_url)
    asyncio.run(migrate())
    token, path = asyncio.run(owner_with_photo(settings))
    with serving(env, port) as origin:
        for name, url, cookie in (("live", "/healthz/live", ""), (store, path, token)):
            print(f"{name:>6}: {measure(origin, cookie, url, args.requests, args.concurrency)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        run("local", MediaSettings(), args, folder)
        with moto_bucket() as media:
            run("s3", media, args, folder)


if __name__ == "__main__":
    main()
