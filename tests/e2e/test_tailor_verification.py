"""A tailor onboards on a phone, an admin verifies (or rejects) the certificate."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.accounts.tables import Account
from tests.e2e.conftest import ConsoleErrors, LiveServer
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


def onboard_tailor(page: Page, context: BrowserContext, photos: Path) -> None:
    """Every step of the profile, the way a tailor does it on a phone."""
    add_authenticator(context, without_autofill(page))
    register(page, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(page, "Siti Rahayu")
    page.get_by_role("link", name="Lanjut: Lokasi").click()
    expect(page).to_have_url(re.compile(r"/onboarding/location$"))
    # A boosted page is wired up by htmx only once it has settled.
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")

    with page.expect_response(lambda response: "/onboarding/location?province=32" in response.url):
        page.get_by_label("Provinsi").select_option(label="Jawa Barat")
    city = page.locator("#onboarding-step select[name=city]")
    expect(city.locator("option", has_text="Kota Bandung")).to_have_count(1)  # htmx swapped
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")
    city.select_option(label="Kota Bandung")
    expect(city).to_have_value("32.73")
    page.get_by_role("button", name="Simpan dan lanjut").click()

    expect(page).to_have_url(re.compile(r"/onboarding/work$"))
    page.get_by_label("Kemeja").check()
    page.get_by_label("Seragam").check()
    page.get_by_label("Mesin obras").check()
    page.get_by_label("Jumlah potong yang sanggup Anda jahit per minggu").fill("200")
    page.get_by_label("Order terkecil yang Anda terima (potong)").fill("12")
    page.get_by_role("button", name="Simpan dan lanjut").click()

    expect(page).to_have_url(re.compile(r"/onboarding/about$"))
    page.get_by_label("Beberapa kata untuk desainer (opsional)").fill(
        "Penjahit seragam sejak 2010."
    )
    page.get_by_role("button", name="Simpan dan lanjut").click()

    expect(page).to_have_url(re.compile(r"/onboarding/portfolio$"))
    photo = photos / "kemeja.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("Tambah foto").set_input_files(photo)
    page.get_by_role("button", name="Unggah foto").click()
    thumbnail = page.get_by_role("img", name="Foto portofolio 1")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    page.get_by_role("link", name="Lanjut", exact=True).click()

    expect(page).to_have_url(re.compile(r"/onboarding/certificate$"))
    page.get_by_label("Nomor sertifikat").fill("KPJ.123.00456.2025")
    page.get_by_label("Diterbitkan oleh (LSP)").fill("LSP Garmen Indonesia")
    page.get_by_label("Tanggal terbit").fill("2025-03-01")
    page.get_by_label("Berlaku sampai").fill("2028-03-01")
    page.get_by_label("Foto sertifikat").set_input_files(photo)
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_text("menunggu verifikasi admin program")).to_be_visible()


def admin_phone(browser: Browser, server: LiveServer, console_errors: ConsoleErrors) -> Page:
    context, page = new_phone(browser, server, console_errors)
    add_authenticator(context, without_autofill(page))
    register(page, name="Budi Santoso", phone="0813-5555-0001")
    server.call(Account.update({Account.role: "admin"}).where(Account.name == "Budi Santoso").run())
    return page


def test_admin_approves_and_the_badge_appears(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
    tmp_path: Path,
) -> None:
    onboard_tailor(page, context, tmp_path)

    admin = admin_phone(browser, server, console_errors)
    admin.goto("/admin/verifications")
    admin.get_by_role("link", name="Siti Rahayu").click()
    expect(admin.get_by_role("img", name=re.compile("Siti Rahayu"))).to_be_visible()
    expect(admin.get_by_role("button", name="Setujui")).to_be_focused()
    admin.keyboard.press("Enter")
    expect(admin.get_by_text("Antrean kosong")).to_be_visible()

    page.goto("/home")
    expect(page.get_by_role("switch")).to_be_visible()
    page.get_by_role("switch").click()
    expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "true")
    page.get_by_role("link", name="Lihat profil publik saya").click()
    expect(page.get_by_text("Tersertifikasi SKKNI")).to_be_visible()
    expect(page.get_by_text("Kemeja, Seragam")).to_be_visible()
    assert unexpected(console_errors) == []


def test_rejected_tailor_reads_the_reason(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
    tmp_path: Path,
) -> None:
    onboard_tailor(page, context, tmp_path)

    admin = admin_phone(browser, server, console_errors)
    admin.goto("/admin/verifications")
    admin.get_by_role("link", name="Siti Rahayu").click()
    admin.get_by_label("Alasan penolakan (akan dibaca penjahit)").fill(
        "Foto sertifikat buram, nomor tidak terbaca."
    )
    admin.get_by_role("button", name="Tolak").click()
    expect(admin.get_by_text("Antrean kosong")).to_be_visible()

    page.goto("/home")
    expect(page.get_by_text("Sertifikat Anda tidak diterima.")).to_be_visible()
    expect(page.get_by_text("Alasan: Foto sertifikat buram, nomor tidak terbaca.")).to_be_visible()
    page.goto("/onboarding/certificate")
    expect(page.get_by_role("button", name="Kirim untuk verifikasi")).to_be_visible()
