"""Parts of a page that swap (a province's cities, a refused action's region) leave the rest of
the page, and what was typed, in place."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.accounts.services import create_invited_account
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    register,
    unexpected,
    without_autofill,
)
from tests.e2e.test_production_journey import assigned_order

pytestmark = pytest.mark.e2e

DESIGNER_ROLE = "Desainer, brand, atau pembeli industri"


def settled(page: Page) -> None:
    """A boosted page is wired up by htmx only once it has settled."""
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")


def choose_province(page: Page, url_part: str, label: str) -> None:
    with page.expect_response(lambda response: url_part in response.url):
        page.get_by_label("Provinsi").select_option(label=label)
    settled(page)


def signed_in_designer_on(page: Page, context: BrowserContext, url: str) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, role=DESIGNER_ROLE, name="Dewi", phone="0813-2222-3333")
    go_home(page, "Dewi")
    page.goto(url)
    settled(page)


def test_business_profile_keeps_the_page_and_typed_values_when_the_province_changes(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    signed_in_designer_on(page, context, "/business-profile")
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
    signed_in_designer_on(page, context, "/orders/new")
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


def test_refused_stage_keeps_the_note_that_was_typed(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    server.call(create_invited_account("designer", "Dewi", "0813-2222-3333", None))
    add_authenticator(context, without_autofill(page))
    register(page, name="Siti Rahayu", phone="0812-3456-7890")
    go_home(page, "Siti Rahayu")
    page.goto(server.call(assigned_order("Dewi", "Siti Rahayu")))
    settled(page)
    form = page.locator("form.stage-form")
    form.get_by_label("Catatan untuk desainer (opsional)").fill("Kain katun sudah datang")
    form.get_by_label("Foto (opsional)").set_input_files(
        {"name": "kain.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}
    )
    with page.expect_response(lambda response: response.url.endswith("/stages")) as refused:
        form.get_by_role("button", name="Posting: Bahan diterima").click()
    assert refused.value.status == 422
    expect(page.locator("section.production").get_by_role("alert")).to_be_visible()
    expect(form.get_by_label("Catatan untuk desainer (opsional)")).to_have_value(
        "Kain katun sudah datang"
    )
    expect(page.locator("header.topbar")).to_be_visible()
