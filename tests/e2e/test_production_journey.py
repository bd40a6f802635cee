"""An order from assignment to Selesai on two phones: the tailor posts stages with photos, the
designer's open page follows by itself; the down payment, messages and two ratings on the way."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from server.accounts.tables import Account
from server.orders.assignment.services import take
from server.orders.posting.forms import parse_order
from server.orders.posting.services import publish
from tests.builders import people
from tests.builders.places import today
from tests.e2e.conftest import ConsoleErrors, LiveServer, settled
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    new_phone,
    register,
    unexpected,
    without_autofill,
)
from tests.images import jpeg_with_gps

pytestmark = pytest.mark.e2e

TITLE = "Kemeja batik seragam kantor"
# Two phones in one browser: only one page is in front, and the other would count as hidden
# (polling slowly). Each phone here keeps its screen on.
SCREEN_ON = "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
# What the browser does when the phone's screen turns to another app, and back.
HIDE = """() => {
    Object.defineProperty(document, "hidden", {configurable: true, get: () => HIDDEN});
    document.dispatchEvent(new Event("visibilitychange"));
}"""


async def assigned_order(designer: str, tailor: str) -> str:
    """The tailor is verified in Bandung and took the designer's Langsung order."""
    ids = {
        row["name"]: row["id"]
        for row in await Account.select(Account.id, Account.name).where(
            Account.name.is_in([designer, tailor])
        )
    }
    await people.tailor(account_id=ids[tailor])
    fields = {
        "category": "kemeja",
        "title": TITLE,
        "fabric_by": "designer",
        "size_M": "30",
        "size_L": "20",
        "budget_per_piece": "45000",
        "deadline": (today() + timedelta(days=21)).isoformat(),
        "city": "32.73",
        "mode": "direct",
    }
    order = await publish(ids[designer], parse_order(fields, today()), [])
    await take(ids[tailor], order.public_id)
    return f"/orders/{order.public_id}"


async def tailor_profile_path(name: str) -> str:
    row = await Account.select(Account.public_id).where(Account.name == name).first()
    return f"/tailors/{row['public_id']}"


def post_stage(tailor: Page, name: str, *, note: str = "", photo: bool = False) -> None:
    form = tailor.locator("form.stage-form")
    expect(form.get_by_role("heading")).to_contain_text(name)
    if note:
        form.get_by_label("Catatan untuk desainer (opsional)").fill(note)
    if photo:
        form.get_by_label("Foto (opsional)").set_input_files(
            {"name": "progress.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
        )
    form.get_by_role("button", name=f"Posting: {name}").click()
    expect(tailor.locator(".timeline li.done strong").last).to_have_text(name)
    settled(tailor)


def test_an_order_goes_from_assignment_to_completed_with_the_designer_page_following(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
) -> None:
    tailor_context, tailor = new_phone(browser, server, console_errors)
    for phone in (page, tailor):
        phone.add_init_script(SCREEN_ON)
    add_authenticator(tailor_context, without_autofill(tailor))
    register(tailor, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(tailor, "Siti Rahayu")
    add_authenticator(context, without_autofill(page))
    register(
        page, role="Desainer, brand, atau pembeli industri", name="Dewi", phone="0813-2222-3333"
    )
    go_home(page, "Dewi")
    order_url = server.call(assigned_order("Dewi", "Siti Rahayu"))

    page.goto(order_url)
    designer_region = page.locator("section.production")
    expect(designer_region.get_by_role("status")).to_contain_text("Dalam produksi: Dikonfirmasi")
    polls: list[int] = []

    def is_poll(response: Response) -> bool:
        return "/production" in response.url

    page.on(
        "response", lambda response: polls.append(response.status) if is_poll(response) else None
    )

    tailor.goto(order_url)
    post_stage(tailor, "Bahan diterima", note="Kain katun sudah datang", photo=True)
    # The designer's page follows by itself, photo thumbnail included.
    expect(designer_region.get_by_text("Kain katun sudah datang")).to_be_visible(timeout=10_000)
    expect(designer_region.locator("img[src$='/small.webp']")).to_have_count(1)
    expect(designer_region.get_by_role("status")).to_contain_text("Bahan diterima")
    while 304 not in polls:  # the next polls of the unchanged region
        page.wait_for_event("response", is_poll, timeout=10_000)
    assert 304 in polls, "an unchanged region answers 304"

    # A hidden tab asks six times less often; back in view it asks again at once.
    page.evaluate(HIDE.replace("HIDDEN", "true"))
    polls.clear()
    page.wait_for_timeout(4000)
    while_hidden = len(polls)
    page.evaluate(HIDE.replace("HIDDEN", "false"))
    polls.clear()
    # Back in view it polls every second again: three polls come well within 10 s even on a
    # loaded machine, where the hidden tab made at most one in 4 s.
    while len(polls) < 3:
        page.wait_for_event("response", is_poll, timeout=10_000)
    assert while_hidden <= 1 < 3 <= len(polls), (while_hidden, len(polls))

    post_stage(tailor, "Potong", photo=True)
    post_stage(tailor, "Jahit", note="Setengah sudah dijahit")
    post_stage(tailor, "Finishing & QC")
    expect(designer_region.get_by_text("Setengah sudah dijahit")).to_be_visible(timeout=20_000)

    # Shipping waits for the down payment: the designer marks it paid with a transfer proof,
    # the tailor's open page offers to confirm it without a reload.
    expect(tailor.get_by_text("Pengiriman menunggu DP")).to_be_visible()
    payments = page.locator("section.production")
    payments.get_by_label("Foto bukti transfer (opsional)").first.set_input_files(
        {"name": "transfer.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(800, 600)}
    )
    payments.get_by_role("button", name="Saya sudah transfer DP").click()
    settled(page)
    tailor.get_by_role("button", name="DP sudah masuk").click(timeout=10_000)
    settled(tailor)

    # Messages: each side's open page shows the other's message by itself.
    tailor.get_by_label("Pesan untuk Dewi").fill("Kak, kirim pakai JNE ya?")
    tailor.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_text("Kak, kirim pakai JNE ya?")).to_be_visible(timeout=10_000)
    page.get_by_label("Pesan untuk Siti Rahayu").fill("Boleh, JNE REG saja.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(tailor.get_by_text("Boleh, JNE REG saja.")).to_be_visible(timeout=10_000)
    # A second message from the same open form goes too: the first answer renewed its key.
    tailor.get_by_label("Pesan untuk Dewi").fill("Siap, besok saya kirim.")
    tailor.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_text("Siap, besok saya kirim.")).to_be_visible(timeout=10_000)
    expect(tailor.get_by_role("link", name="Chat di WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/6281322223333")
    )

    form = tailor.locator("form.stage-form")
    form.get_by_label("Kurir").fill("JNE REG")
    form.get_by_label("Nomor resi").fill("JNE0123456789")
    post_stage(tailor, "Dikirim")
    expect(designer_region.get_by_text("JNE0123456789")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Konfirmasi barang diterima").click()
    expect(designer_region.get_by_role("status")).to_contain_text("Selesai pada")
    settled(page)

    # Two ratings, once each.
    page.get_by_text("5 bintang").click()
    page.get_by_label("Komentar (opsional)").fill("Jahitan rapi, tepat waktu.")
    page.get_by_role("button", name="Kirim penilaian").click()
    settled(page)
    tailor.reload()
    tailor.get_by_text("4 bintang").click()
    tailor.get_by_role("button", name="Kirim penilaian").click()
    expect(tailor.get_by_text("Jahitan rapi, tepat waktu.")).to_be_visible()
    settled(tailor)

    # A finished order stops asking; the tailor's profile carries the new rating.
    page.reload()
    expect(page.locator("section.production")).not_to_have_attribute("data-poll", re.compile("."))
    tailor.goto("/home")
    profile = server.call(tailor_profile_path("Siti Rahayu"))
    page.goto(profile)
    expect(page.get_by_text("★5 (1)")).to_be_visible()

    tailor_context.close()
    assert unexpected(console_errors) == []
