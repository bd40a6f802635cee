"""Passkey journeys in Chromium with its virtual authenticator: sign-up, sign-in, devices."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.accounts.tables import Account
from server.auth.tables import Passkey
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    CREATE_PASSKEY,
    NOT_ALLOWED,
    SIGN_IN_WITH_PASSKEY,
    add_authenticator,
    fill_registration,
    go_home,
    new_phone,
    register,
    sign_in,
    sign_out,
    stored_id,
    unexpected,
    without_autofill,
)
from tests.helpers import indonesian

pytestmark = pytest.mark.e2e

ADD_PASSKEY = indonesian("Add a passkey on this device", html=False)
REMOVE = re.compile(r"^Hapus ")


def test_tailor_registers_signs_out_and_signs_in_with_discoverable_passkey(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    without_autofill(page)
    authenticator = add_authenticator(context, page)

    codes = register(page, name="Siti Rahayu", phone="0812 3456 7890")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode pemulihan")
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code) for code in codes)
    go_home(page, "Siti Rahayu")

    sign_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    expect(page.get_by_role("link", name="Akun", exact=True)).to_have_count(0)
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Halo, Siti Rahayu")

    credentials = authenticator.credentials()
    assert len(credentials) == 1
    assert credentials[0]["isResidentCredential"] is True
    assert credentials[0]["rpId"] == "localhost"
    assert credentials[0]["userDisplayName"] == "Siti Rahayu"
    assert server.call(Passkey.select(Passkey.credential_id).run()) == [
        {"credential_id": stored_id(credentials[0])}
    ]
    assert server.call(Account.select(Account.role).first().run()) == {"role": "tailor"}
    assert unexpected(console_errors) == []


def test_sign_in_page_signs_in_through_passkey_autofill(
    page: Page, context: BrowserContext, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, page)
    register(page, name="Siti Rahayu", phone="0812 3456 7890")
    context.clear_cookies()

    # The virtual authenticator picks the passkey the field offers; no button is pressed.
    response = page.goto("/account/passkeys")
    assert response is not None and "/login?next=" in response.url
    expect(page).to_have_url(re.compile(r"/account/passkeys$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkey saya")
    assert unexpected(console_errors) == []


def test_designer_registers_with_a_passkey(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, page)

    register(
        page,
        role="Desainer, brand, atau pembeli industri",
        name="Dewi Lestari",
        phone="0857 1234 5678",
    )
    go_home(page, "Dewi Lestari")
    account = server.call(Account.select(Account.role, Account.phone).first().run())
    assert account == {"role": "designer", "phone": "+6285712345678"}
    assert unexpected(console_errors) == []


def test_second_passkey_added_removed_and_other_devices_signed_out(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    server: LiveServer,
    console_errors: ConsoleErrors,
) -> None:
    without_autofill(page)
    phone = add_authenticator(context, page)
    register(page, name="Siti Rahayu", phone="0812 3456 7890")
    go_home(page, "Siti Rahayu")

    page.get_by_role("link", name="Passkey saya").click()
    passkeys = page.locator("#passkey-list").get_by_role("listitem")
    expect(passkeys).to_have_count(1)
    expect(page.get_by_role("button", name=REMOVE)).to_have_count(0)

    # The same person on a laptop: another authenticator, which knows nothing of the first key.
    phone.remove()
    laptop = add_authenticator(context, page)
    page.get_by_role("button", name=ADD_PASSKEY).click()
    expect(passkeys).to_have_count(2)
    expect(page.get_by_role("button", name=REMOVE)).to_have_count(2)
    laptop_key = stored_id(laptop.credentials()[0])

    page.get_by_role("button", name=REMOVE).first.click()
    expect(passkeys).to_have_count(1)
    expect(page.get_by_role("button", name=REMOVE)).to_have_count(0)
    expect(page.get_by_text("Passkey satu-satunya tidak bisa dihapus.")).to_be_visible()
    assert server.call(Passkey.select(Passkey.credential_id).run()) == [
        {"credential_id": laptop_key}
    ]

    other_context, other_page = new_phone(browser, server, console_errors)
    try:
        without_autofill(other_page)
        add_authenticator(other_context, other_page).add_credential(laptop.credentials()[0])
        sign_in(other_page)
        expect(other_page.get_by_role("heading", level=1)).to_have_text("Halo, Siti Rahayu")

        page.goto("/account/sessions")
        devices = page.locator("#session-list").get_by_role("listitem")
        expect(devices).to_have_count(2)
        page.get_by_role("button", name="Keluar dari semua perangkat lain").click()
        expect(devices).to_have_count(1)
        expect(devices).to_contain_text("perangkat ini")

        other_page.goto("/home")
        expect(other_page).to_have_url(re.compile(r"/login\?next="))
        expect(other_page.get_by_role("heading", level=1)).to_have_text("Masuk")
        page.goto("/home")
        expect(page.get_by_role("heading", level=1)).to_have_text("Halo, Siti Rahayu")
    finally:
        other_context.close()
    assert unexpected(console_errors) == []


def test_registration_refused_without_user_verification(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    add_authenticator(context, page, user_verified=False)

    fill_registration(page, role="Penjahit", name="Siti Rahayu", phone="0812 3456 7890")
    page.get_by_role("button", name=CREATE_PASSKEY).click()
    form = page.locator("form").filter(has=page.get_by_role("button", name=CREATE_PASSKEY))
    expect(form.get_by_role("alert")).to_have_text(NOT_ALLOWED)
    expect(page.get_by_role("button", name=CREATE_PASSKEY)).to_be_enabled()
    expect(page).to_have_url(re.compile(r"/register$"))
    assert server.call(Account.count().run()) == 0


def test_browser_without_passkeys_is_told_why(page: Page, server: LiveServer) -> None:
    page.add_init_script("delete window.PublicKeyCredential")

    for path, button in (("/register", CREATE_PASSKEY), ("/login", SIGN_IN_WITH_PASSKEY)):
        page.goto(path)
        expect(page.get_by_role("alert")).to_contain_text("Browser ini tidak bisa memakai passkey")
        expect(page.get_by_role("button", name=button)).to_be_disabled()
    assert server.call(Account.count().run()) == 0
