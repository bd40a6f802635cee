"""Resident memory of a server process while it decodes 4 worst-case photo uploads at once.

Usage:
    .venv/bin/python benchmarks/upload_memory.py
    .venv/bin/python benchmarks/upload_memory.py --concurrent 8 --only png-rgb

For each case, serves the app afresh with `python -m server serve` in a subprocess (SQLite in
a temporary folder: memory a decode leaves behind in the allocator would blur the next case),
registers N tailors with a software passkey over HTTP, warms the process with two small
uploads, then posts one worst-case image from each tailor at once to the real portfolio upload
route, sampling the server's VmRSS in /proc every few milliseconds, and reads its VmHWM (the
kernel's own peak, reset once the process is idle). The images are small files that decode
to huge rasters: the 131 KB 6300×6300 PNG of the report, a 40 MP JPEG, and PNG (RGB, RGBA,
palette), HEIF and WebP files just under their pixel caps.
Budget (ARCHITECTURE.md): 4 concurrent worst-case uploads add < 300 MB to the process.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pillow_heif  # noqa: E402
from PIL import Image  # noqa: E402

from tests.processes import free_port  # noqa: E402
from tests.webauthn_device import SoftAuthenticator  # noqa: E402

pillow_heif.register_heif_opener()

BUDGET_MB = 300.0
SAMPLE_SECONDS = 0.005
MB = 1024 * 1024


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def gradient(width: int, height: int) -> Image.Image:
    """Smooth colour: tiny as a file, a full raster once decoded."""
    horizontal = Image.linear_gradient("L").resize((width, height))
    vertical = horizontal.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    return Image.merge("RGB", (horizontal, vertical, Image.new("L", (width, height), 90)))


def flat(fmt: str, mode: str, side: int, **options: object) -> Callable[[], bytes]:
    colour = 3 if mode == "P" else (180, 90, 40, 200)[: len(mode)]
    return lambda: encoded(Image.new(mode, (side, side), colour), fmt, **options)


def jpeg_40mp() -> bytes:
    return encoded(gradient(7300, 5475), "JPEG", quality=70)


# The 6300×6300 PNG of the original report (131 KB, 40 MP), then each format just under the
# pixel cap it has (server/media/images.py): the largest raster an upload can still cost.
CASES: dict[str, Callable[[], bytes]] = {
    "png-6300": flat("PNG", "RGB", 6300, optimize=True),
    "png-rgb": flat("PNG", "RGB", 4890, optimize=True),
    "png-rgba": flat("PNG", "RGBA", 4890, optimize=True),
    "png-palette": flat("PNG", "P", 4890, optimize=True),
    "jpeg-40mp": jpeg_40mp,
    "heif-16mp": flat("HEIF", "RGB", 3990),
    "webp-6mp": flat("WEBP", "RGBA", 2440, lossless=True),
}


@dataclass
class Memory:
    pid: int

    def read(self) -> dict[str, int]:
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) * 1024
        return found

    def rss(self) -> int:
        return self.read()["VmRSS"]

    def reset_peak(self) -> None:
        # "5" resets the peak resident set size (VmHWM) to the current one (Linux >= 4.0).
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")


class Sampler(threading.Thread):
    def __init__(self, memory: Memory) -> None:
        super().__init__(daemon=True)
        self.memory = memory
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.memory.rss())
            time.sleep(SAMPLE_SECONDS)


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite'}",
        "DATA_DIR": str(data_dir),
        "PORT": str(port),
        "PUBLIC_ORIGIN": f"http://localhost:{port}",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PUSH_WORKER": "0",
        "LOG_LEVEL": "WARNING",
        "AUTH_RATE_LIMIT_PER_MINUTE": "1000",
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "server", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [python, "-m", "server", "serve", "--port", str(port)], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://localhost:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            sys.exit("upload memory benchmark: the server did not start")
        time.sleep(0.1)
    server.kill()
    sys.exit("upload memory benchmark: the server did not answer /healthz within 60 s")


def signed_in_tailor(base: str, number: int) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    client.get("/")
    headers = {"x-csrftoken": client.cookies["csrftoken"], "Accept": "application/json"}
    person = {"role": "tailor", "name": f"Penjahit {number}", "phone": f"0812-3456-{number:04d}"}
    options = client.post("/auth/register/options", json=person, headers=headers)
    options.raise_for_status()
    credential = SoftAuthenticator().create(options.json(), base)
    client.post("/auth/register/verify", json=credential, headers=headers).raise_for_status()
    return client


def upload(client: httpx.Client, data: bytes) -> int:
    response = client.post(
        "/onboarding/portfolio",
        data={"_csrf_token": client.cookies["csrftoken"]},
        files={"photo": ("photo.bin", data, "application/octet-stream")},
    )
    return response.status_code


def run_case(name: str, data: bytes, concurrent: int) -> float:
    port = free_port()
    base = f"http://localhost:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch), port)
        try:
            memory = Memory(server.pid)
            warm = signed_in_tailor(base, 9999)
            upload(warm, encoded(gradient(1600, 1200), "JPEG"))
            upload(warm, encoded(Image.new("RGBA", (800, 600)), "PNG"))
            warm.close()
            clients = [signed_in_tailor(base, slot) for slot in range(concurrent)]
            idle = memory.rss()
            memory.reset_peak()
            sampler = Sampler(memory)
            sampler.start()
            started = time.perf_counter()
            with ThreadPoolExecutor(concurrent) as pool:
                statuses = list(pool.map(upload, clients, [data] * concurrent))
            elapsed = time.perf_counter() - started
            sampler.done.set()
            sampler.join()
            peak = max(sampler.peak, memory.read()["VmHWM"])
            for client in clients:
                client.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    added = (peak - idle) / MB
    answers = ", ".join(str(status) for status in sorted(set(statuses)))
    verdict = "within" if added < BUDGET_MB else "OVER"
    print(
        f"  {name:12} {len(data) / 1024:5.0f} KB x{concurrent}: answered {answers} in "
        f"{elapsed:.1f} s; idle {idle / MB:.0f} MB, peak {peak / MB:.0f} MB, "
        f"+{added:.0f} MB ({verdict} the {BUDGET_MB:.0f} MB budget)",
        flush=True,
    )
    return added


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    args = parser.parse_args(argv)
    names = args.only or list(CASES)
    print(f"{args.concurrent} uploads at once (load average {os.getloadavg()[0]:.1f})", flush=True)
    worst = [run_case(name, CASES[name](), args.concurrent) for name in names]
    sys.exit(0 if max(worst) < BUDGET_MB else 1)


if __name__ == "__main__":
    main()
