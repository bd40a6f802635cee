"""Choosing a province loads its cities in place: the page and what was typed stay."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    register,
    unexpected,
    without_autofill,
)

pytestmark = pytest.mark.e2e

DESIGNER_ROLE = "Desainer, brand, atau pembeli industri"


def settled(page: Page) -> None:
    """A boosted page is wired up by htmx only once it has settled."""
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")


def choose_province(page: Page, url_part: str, label: str) -> None:
    with page.expect_response(lambda response: url_part in response.url):
        page.get_by_label("Provinsi").select_option(label=label)
    settled(page)


def test_business_profile_keeps_the_page_and_typed_values_when_the_province_changes(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, role=DESIGNER_ROLE, name="Dewi", phone="0813-2222-3333")
    go_home(page, "Dewi")
    page.goto("/business-profile")
    settled(page)
    page.get_by_label("Nama brand atau usaha").fill("Batik Dewi")
    page.get_by_role("radio", name="Industri / konveksi besar").check()
    page.get_by_label("Deskripsi singkat (opsional)").fill("Seragam kantor dan batik.")

    choose_province(page, "/business-profile?province=32", "Jawa Barat")

    city = page.get_by_label("Kota atau kabupaten")
    expect(city.locator("option", has_text="Kota Bandung")).to_have_count(1)
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil usaha")
    expect(page.get_by_label("Nama brand atau usaha")).to_have_value("Batik Dewi")
    expect(page.get_by_role("radio", name="Industri / konveksi besar")).to_be_checked()
    expect(page.get_by_label("Deskripsi singkat (opsional)")).to_have_value(
        "Seragam kantor dan batik."
    )
    expect(page.get_by_label("Provinsi")).to_have_value("32")
    # Once more, to another province: the swapped list is wired up like the first.
    choose_province(page, "/business-profile?province=34", "Daerah Istimewa Yogyakarta")
    expect(city.locator("option", has_text="Kota Yogyakarta")).to_have_count(1)
    expect(city.locator("option", has_text="Kota Bandung")).to_have_count(0)
    expect(page.get_by_label("Nama brand atau usaha")).to_have_value("Batik Dewi")

    city.select_option(label="Kota Yogyakarta")
    page.get_by_role("button", name="Simpan profil").click()
    expect(page).to_have_url(f"{server.url}/home")
    page.goto("/business-profile")
    expect(page.get_by_label("Nama brand atau usaha")).to_have_value("Batik Dewi")
    expect(page.get_by_role("radio", name="Industri / konveksi besar")).to_be_checked()
    expect(page.get_by_label("Kota atau kabupaten")).to_have_value("34.71")
    assert unexpected(console_errors) == []


def test_order_form_keeps_the_page_and_typed_values_when_the_province_changes(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, role=DESIGNER_ROLE, name="Dewi", phone="0813-2222-3333")
    go_home(page, "Dewi")
    page.goto("/orders/new")
    settled(page)
    page.get_by_label("Jenis pakaian").select_option(value="kemeja")
    page.get_by_label("Judul").fill("Kemeja batik seragam kantor")
    page.get_by_label("M", exact=True).fill("30")

    choose_province(page, "/orders/new?province=32", "Jawa Barat")

    city = page.get_by_label("Kota atau kabupaten tempat order diambil")
    expect(city.locator("option", has_text="Kota Bandung")).to_have_count(1)
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.get_by_label("Judul")).to_have_value("Kemeja batik seragam kantor")
    expect(page.get_by_label("Jenis pakaian")).to_have_value("kemeja")
    expect(page.get_by_label("M", exact=True)).to_have_value("30")
    assert unexpected(console_errors) == []
