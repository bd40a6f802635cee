"""Bytes over the network per page: a cold first visit, then a warm one (service worker active).

Usage: .venv/bin/python benchmarks/page_weight.py [--as tailor|designer|admin] [PATH ...]
PATH may be @order: the first order in production of the demo account (with --as), measured
also for its polls: the production region asked again with its ETag (a 304, no body).
Example: .venv/bin/python benchmarks/page_weight.py --as designer /orders @order
Serves the app on a free localhost port with a fresh SQLite database, loads each page in
Chromium with an empty profile, waits until the service worker controls the page and has
precached the shell, then loads the page again. Counts every response body and header block
that came over the network (the service worker's own fetches included), not from a cache.
Budgets (ARCHITECTURE.md): cold <= 50 KB, warm <= 8 KB, an unchanged poll: a 304 with no body.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Request, sync_playwright

from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The demo-mode accounts (server/demo.py).
DEMO_PHONES = {"tailor": "+6281200000001", "designer": "+6281200000002", "admin": "+6281200000003"}
COLD_BUDGET = 50 * 1024
WARM_BUDGET = 8 * 1024


@dataclass
class Tally:
    requests: list[tuple[str, int]] = field(default_factory=list)

    def record(self, request: Request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return
        sizes = request.sizes()
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if transferred > 0:
            self.requests.append((request.url, transferred))

    @property
    def total(self) -> int:
        return sum(size for _url, size in self.requests)


def start_server(data_dir: Path, port: int, demo: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    if demo:
        env["DEMO"] = "1"
    python = sys.executable
    subprocess.run([python, "-m", "server", "migrate"], env=env, cwd=ROOT, check=True)
    if demo:
        subprocess.run([python, "-m", "server", "demo-data"], env=env, cwd=ROOT, check=True)
    process = subprocess.Popen([python, "-m", "server", "serve"], env=env, cwd=ROOT)
    for _ in range(600):  # a minute at most: a busy machine imports the app slowly
        try:
            urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def sign_in(context: BrowserContext, origin: str, phone: str) -> None:
    """Demo sign-in through the API: the session cookie, without loading any page."""
    context.request.get(f"{origin}/offline")  # receives the CSRF cookie
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    context.request.post(
        f"{origin}/demo/sign-in", form={"phone": phone, "_csrf_token": token}, max_redirects=0
    )


def order_in_production(data_dir: Path, phone: str) -> str:
    """The demo account's first order in production, as a path."""
    with sqlite3.connect(data_dir / "clothingline.sqlite") as database:
        row = database.execute(
            'SELECT o.public_id FROM "order" o JOIN account a'
            " ON a.id = o.designer OR a.id = o.assigned_tailor"
            " WHERE a.phone = ? AND o.status = 'assigned' AND o.stage != '' ORDER BY o.id LIMIT 1",
            (phone,),
        ).fetchone()
    if row is None:
        raise SystemExit("the demo account has no order in production")
    return f"/orders/{row[0]}"


def measure_poll(context: BrowserContext, url: str) -> tuple[Tally, list[int]]:
    """Open the order page, then ask for its production region as the poll does: once with the
    ETag the page holds. Returns what came over the network for the poll and its statuses."""
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    region = page.locator("[id$='-production'][data-poll]")
    headers = region.get_attribute("hx-headers") or "{}"
    poll_url = region.get_attribute("hx-get")
    tally = Tally()
    context.on("requestfinished", tally.record)
    statuses = page.evaluate(
        """async ([pollUrl, headers]) => {
            const asked = {...JSON.parse(headers), "HX-Request": "true"};
            const response = await fetch(pollUrl, {headers: asked});
            return [response.status, (await response.arrayBuffer()).byteLength];
        }""",
        [poll_url, headers],
    )
    page.wait_for_timeout(300)
    context.remove_listener("requestfinished", tally.record)
    page.close()
    return tally, statuses


def measure(context: BrowserContext, url: str) -> Tally:
    tally = Tally()
    context.on("requestfinished", tally.record)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_timeout(500)
    page.close()
    context.remove_listener("requestfinished", tally.record)
    return tally


def report(label: str, tally: Tally, budget: int) -> bool:
    verdict = "ok" if tally.total <= budget else "OVER BUDGET"
    print(
        f"  {label}: {tally.total / 1024:.1f} KB in {len(tally.requests)} responses "
        f"(budget {budget // 1024} KB) {verdict}"
    )
    for url, size in sorted(tally.requests, key=lambda item: -item[1]):
        print(f"      {size:>7} B  {url}")
    return tally.total <= budget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument(
        "--as",
        dest="role",
        choices=sorted(DEMO_PHONES),
        help="load the demo programme and measure signed in as this demo account",
    )
    args = parser.parse_args()
    port = free_port()
    within_budget = True
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"
        server = start_server(data_dir, port, demo=args.role is not None)
        try:
            with sync_playwright() as playwright:
                for path in args.paths:
                    polled = path == "@order"
                    if polled:
                        if not args.role:
                            raise SystemExit("@order needs --as tailor|designer")
                        path = order_in_production(data_dir, DEMO_PHONES[args.role])
                    url = f"http://localhost:{port}{path}"
                    context = playwright.chromium.launch_persistent_context(
                        str(Path(temp) / f"profile-{abs(hash(path))}"),
                        executable_path=CHROMIUM,
                        args=CHROMIUM_ARGS,
                        viewport={"width": 360, "height": 740},
                    )
                    if args.role:
                        sign_in(context, f"http://localhost:{port}", DEMO_PHONES[args.role])
                    print(path + (f" (as the demo {args.role})" if args.role else ""))
                    within_budget &= report("cold", measure(context, url), COLD_BUDGET)
                    within_budget &= report("warm", measure(context, url), WARM_BUDGET)
                    if polled:
                        tally, (status, body) = measure_poll(context, url)
                        print(f"  unchanged poll: HTTP {status}, body {body} B")
                        within_budget &= report("unchanged poll", tally, 1024)
                        within_budget &= status == 304 and body == 0
                    context.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    sys.exit(0 if within_budget else 1)


if __name__ == "__main__":
    main()
