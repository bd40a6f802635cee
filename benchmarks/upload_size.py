"""What a phone photo costs to upload: the camera's file, and what the page sends after shrinking
it (static/js/photos.js), with the time each takes over prepaid 3G.

Usage: .venv/bin/python benchmarks/upload_size.py [--cpu-slowdown 4]
Serves the app on a free localhost port with the demo programme (SQLite in a temporary folder),
signs in as the demo designer, chooses a 4000×3000 photo-like JPEG (grain over light and shade,
~4.5 MB, as a 12 MP phone camera writes) as a reference photo in the order form in Chromium,
waits until the page has shrunk it, saves the draft and reads the upload request's
Content-Length. Reports the bytes before and after, the time at 400 kbit/s, and how long the
shrinking took in the browser (also with the CPU slowed down as on a low-end phone, Chromium's
CPU throttling).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, Request, sync_playwright  # noqa: E402

from benchmarks.page_weight import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PHONES,
    sign_in,
    start_server,
)
from tests.images import photo_like  # noqa: E402
from tests.processes import free_port  # noqa: E402

LINK_BITS_PER_SECOND = 400_000  # prepaid 3G on a weak signal
SHRINK = """async () => {
    const field = document.querySelector("#photos");
    const started = performance.now();
    await window.clothingLine.photosReady(field.form);
    const file = field.files[0];
    return [performance.now() - started, file.size, file.name];
}"""


def seconds_at_link_speed(size: float) -> float:
    return size * 8 / LINK_BITS_PER_SECOND


def upload(context: BrowserContext, origin: str, photo: Path, slowdown: float) -> dict[str, float]:
    page = context.new_page()
    page.goto(f"{origin}/orders/new", wait_until="networkidle")
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.locator("#photos").set_input_files(photo)
    shrink_ms, size, name = page.evaluate(SHRINK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("button[name=action][value=draft]").click()
    status = answer.value.status
    wire = int(posts[0].all_headers()["content-length"])
    page.close()
    if status not in (200, 303):
        raise SystemExit(f"the upload was refused: HTTP {status}")
    print(f"  shrunk in the browser: {shrink_ms:.0f} ms (CPU slowed {slowdown:g}×) -> {name}")
    return {"file": size, "wire": wire}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cpu-slowdown", type=float, default=4, help="CPU throttling for the phone-like run"
    )
    args = parser.parse_args()
    port = free_port()
    origin = f"http://localhost:{port}"
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        photo = folder / "IMG_20261201_101500.jpg"
        photo.write_bytes(photo_like(4000, 3000))
        original = photo.stat().st_size
        server = start_server(folder / "data", port, demo=True)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(
                    viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
                )
                sign_in(context, origin, DEMO_PHONES["designer"])
                print(f"a 4000×3000 phone photo, {original / 1e6:.2f} MB")
                runs = [
                    upload(context, origin, photo, slowdown) for slowdown in (1, args.cpu_slowdown)
                ]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    after = runs[0]
    print(
        f"  before: {original:>9,} B  {seconds_at_link_speed(original):6.1f} s at 400 kbit/s\n"
        f"  after:  {after['wire']:>9,} B  {seconds_at_link_speed(after['wire']):6.1f} s at 400"
        f" kbit/s (the whole request; the photo itself {after['file']:,} B)\n"
        f"  {original / after['wire']:.0f}× less to send"
    )


if __name__ == "__main__":
    main()
