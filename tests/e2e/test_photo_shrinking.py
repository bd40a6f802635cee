"""Photos leave the phone small: a 12 MP camera photo chosen in a form goes up as a JPEG of at
most 1280 px, upright, whether the person sends at once or while it is still being shrunk; a
small JPEG goes as it was, a large transparent logo stays transparent, and a file that is no
photo still reaches the server and gets its usual answer."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, Page, Request, expect

from server.accounts.tables import Role
from server.auth.sessions import SESSION_COOKIE
from server.media.refusals import IMAGE_REFUSALS
from server.media.tables import Photo
from tests.builders.people import signed_up
from tests.e2e.conftest import ConsoleErrors, LiveServer, settled
from tests.e2e.passkey_helpers import unexpected
from tests.e2e.test_production_journey import assigned_order
from tests.helpers import indonesian
from tests.images import jpeg_with_gps, photo_like

pytestmark = pytest.mark.e2e

# Shrinking in the page, then checking and re-encoding on the server: on a busy machine that
# takes longer than an ordinary answer.
PROCESSED = 15_000
# What each request of the page carried: the files of its form, as the browser sent them.
SENT_FILES = """
window.sentFiles = [];
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  if (body instanceof FormData) {
    for (const [field, value] of body.entries()) {
      if (value instanceof File) window.sentFiles.push([field, value]);
    }
  }
  return send.call(this, body);
};
"""
# Shrinking waits until the test lets it go: a submit sent meanwhile must wait for it.
HELD_SHRINKING = """
const decode = window.createImageBitmap.bind(window);
window.shrinkingHeld = new Promise((resolve) => { window.releaseShrinking = resolve; });
window.createImageBitmap = (...args) => window.shrinkingHeld.then(() => decode(...args));
"""
NOT_A_PHOTO = indonesian(IMAGE_REFUSALS["not_an_image"].text, html=False)


@pytest.fixture(scope="module")
def camera_photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A phone's 12 MP photos in a folder, as the file picker hands them over: one taken
    upright, one held sideways (stored 4000×3000, seen 3000×4000), and a small one."""
    folder = tmp_path_factory.mktemp("camera")
    (folder / "kain.jpeg").write_bytes(photo_like(4000, 3000))
    (folder / "IMG_20261201_101500.JPG").write_bytes(photo_like(4000, 3000, orientation=6))
    (folder / "contoh.jpg").write_bytes(jpeg_with_gps(800, 600))  # small enough already
    logo = Image.new("RGBA", (2400, 2400), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((200, 200, 2200, 2200), fill=(49, 46, 129, 255))
    logo.save(folder / "logo-toko.png")
    return folder


def sent_files(page: Page) -> list[tuple[str, str, bytes]]:
    """The files the page's requests carried, in order: field, file name, bytes."""
    sent = page.evaluate(
        """() => Promise.all(window.sentFiles.map(([field, file]) => new Promise((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve([field, file.name, reader.result.split(",")[1]]);
            reader.readAsDataURL(file);
        })))"""
    )
    return [(field, name, base64.b64decode(data)) for field, name, data in sent]


def on_the_wire(request: Request) -> int:
    """The request body's size as sent (Chromium shows Playwright no body for these uploads,
    but their Content-Length)."""
    return int(request.all_headers()["content-length"])


def posts_to(page: Page, path: str) -> list[Request]:
    posts: list[Request] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request)
            if request.method == "POST" and request.url.endswith(path)
            else None
        ),
    )
    return posts


def test_a_sideways_camera_photo_goes_up_upright_and_shrunk_even_sent_while_shrinking(
    page: Page,
    context: BrowserContext,
    server: LiveServer,
    console_errors: ConsoleErrors,
    camera_photos: Path,
) -> None:
    server.call(signed_up(Role.DESIGNER, "Dewi Kirana", "0813-2222-3333"))
    tailor_id, token = server.call(signed_up(Role.TAILOR, "Siti Rahayu", "0812-1000-0001"))
    url = server.call(assigned_order("Dewi Kirana", "Siti Rahayu"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.add_init_script(SENT_FILES)
    page.add_init_script(HELD_SHRINKING)
    page.goto(url)
    settled(page)
    posts = posts_to(page, "/stages")
    sideways = camera_photos / "IMG_20261201_101500.JPG"
    original = sideways.read_bytes()

    form = page.locator("form.stage-form")
    form.get_by_label("Foto (opsional)").set_input_files(sideways)
    expect(form).to_have_attribute("aria-busy", "true")
    form.get_by_role("button", name="Posting: Bahan diterima").click()
    page.evaluate("window.releaseShrinking()")
    expect(page.locator(".timeline li.done strong").last).to_have_text(
        "Bahan diterima", timeout=PROCESSED
    )
    settled(page)

    assert len(posts) == 1, "the form went once, with the shrunk photo"
    [(field, name, sent)] = sent_files(page)
    assert (field, name) == ("photo", "IMG_20261201_101500.jpg")
    assert len(sent) < on_the_wire(posts[0]) < len(original) / 8, (len(sent), len(original))
    with Image.open(io.BytesIO(sent)) as photo:
        assert (photo.format, photo.size) == ("JPEG", (960, 1280))
    [stored] = server.call(Photo.select().where(Photo.owner == tailor_id).run())
    assert (stored["width"], stored["height"]) == (960, 1280)
    # Upright: the camera's left edge (red) is the top of the photo now.
    large = page.request.get(f"/media/{stored['public_id']}/large.webp")
    with Image.open(io.BytesIO(large.body())) as photo:
        red, green, _blue = photo.convert("RGB").getpixel((480, 40))
        assert red > 150 and green < 90, photo.getpixel((480, 40))
        red, green, _blue = photo.convert("RGB").getpixel((480, 1240))
        assert not (red > 150 and green < 90), photo.getpixel((480, 1240))
    assert unexpected(console_errors) == []


def test_reference_photos_go_up_shrunk_and_a_small_one_as_it_was(
    page: Page,
    context: BrowserContext,
    server: LiveServer,
    console_errors: ConsoleErrors,
    camera_photos: Path,
) -> None:
    designer_id, token = server.call(signed_up(Role.DESIGNER, "Dewi Kirana", "0813-2222-3333"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.add_init_script(SENT_FILES)
    page.goto("/orders/new")
    posts = posts_to(page, "/orders")
    original = (camera_photos / "kain.jpeg").read_bytes()
    small = (camera_photos / "contoh.jpg").read_bytes()

    page.get_by_label(re.compile("^Foto referensi")).set_input_files(
        [
            camera_photos / "kain.jpeg",
            camera_photos / "contoh.jpg",
        ]
    )
    page.evaluate(
        "() => window.clothingLine.photosReady(document.querySelector('form.order-form'))"
    )
    page.get_by_role("button", name=indonesian("Save draft", html=False)).click()
    expect(page).to_have_url(re.compile(r"/orders/drafts/.+\?saved=1$"), timeout=PROCESSED)

    assert len(posts) == 1
    files = sent_files(page)
    assert [(field, name) for field, name, _data in files] == [
        ("photos", "kain.jpg"),
        ("photos", "contoh.jpg"),
    ]
    with Image.open(io.BytesIO(files[0][2])) as photo:
        assert (photo.format, photo.size) == ("JPEG", (1280, 960))
    assert files[1][2] == small, "a photo already small enough goes as it was"
    assert on_the_wire(posts[0]) < len(original) / 8, (on_the_wire(posts[0]), len(original))
    stored = server.call(Photo.select().where(Photo.owner == designer_id).run())
    assert sorted((row["width"], row["height"]) for row in stored) == [(800, 600), (1280, 960)]
    assert unexpected(console_errors) == []


def test_a_file_that_is_no_photo_is_sent_as_it_is_and_refused_as_before(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    tailor_id, token = server.call(signed_up(Role.TAILOR, "Siti Rahayu", "0812-1000-0001"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.add_init_script(SENT_FILES)
    page.goto("/onboarding/portfolio")
    posts = posts_to(page, "/onboarding/portfolio")
    not_a_photo = b"%PDF-1.4 a price list, not a photo\n" * 20

    page.locator("#photo").set_input_files(
        {"name": "daftar-harga.jpg", "mimeType": "image/jpeg", "buffer": not_a_photo}
    )
    page.evaluate("() => window.clothingLine.photosReady(document.querySelector('#photo').form)")
    page.get_by_role("button", name=indonesian("Upload photo", html=False)).click()
    expect(page.locator("#photo-error")).to_contain_text(NOT_A_PHOTO, timeout=PROCESSED)
    settled(page)

    assert len(posts) == 1
    assert [(name, data) for _field, name, data in sent_files(page)] == [
        ("daftar-harga.jpg", not_a_photo)
    ]
    assert server.call(Photo.count().where(Photo.owner == tailor_id).run()) == 0
    refused = "Response Status Error Code 400 from /onboarding/portfolio"
    assert [error for error in unexpected(console_errors) if refused not in error] == []


def test_a_large_logo_on_a_transparent_background_stays_transparent(
    page: Page, context: BrowserContext, server: LiveServer, camera_photos: Path
) -> None:
    _designer_id, token = server.call(signed_up(Role.DESIGNER, "Dewi Kirana", "0813-2222-3333"))
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.url}])
    page.goto("/business-profile")
    field = page.get_by_label(indonesian("Logo (optional)", html=False))
    field.set_input_files(camera_photos / "logo-toko.png")
    name, data = page.evaluate(
        """async () => {
            const field = document.querySelector("#logo");
            await window.clothingLine.photosReady(field.form);
            const file = field.files[0];
            const bytes = new Uint8Array(await file.arrayBuffer());
            return [file.name, btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""))];
        }"""
    )
    assert name == "logo-toko.webp"
    with Image.open(io.BytesIO(base64.b64decode(data))) as logo:
        assert (logo.format, logo.size, logo.mode) == ("WEBP", (1280, 1280), "RGBA")
        assert logo.getpixel((5, 5))[3] == 0, "the corner stays transparent"
        assert logo.getpixel((640, 640))[3] == 255
