"""Getting back in without the old passkey: recovery codes and the admin's enrolment links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.accounts.services import create_invited_account
from server.auth.tables import Passkey
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    CREATE_PASSKEY,
    add_authenticator,
    go_home,
    register,
    sign_in,
    sign_out,
    unexpected,
    without_autofill,
)
from tests.helpers import indonesian

pytestmark = pytest.mark.e2e

RECOVERED = (
    "Anda masuk dengan kode pemulihan. Buat passkey di perangkat ini sekarang agar bisa masuk lagi "
    "nanti."
)
CODE_REFUSED = indonesian(
    "That phone number and recovery code do not match an unused code.",
    html=False,
)


def recover(page: Page, phone: str, code: str) -> None:
    page.goto("/recover")
    page.get_by_label("Nomor WhatsApp").fill(phone)
    page.get_by_label("Kode pemulihan").fill(code)
    page.get_by_role("button", name="Masuk dengan kode").click()


def test_lost_phone_recovered_with_a_code_then_new_passkey_signs_in(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    without_autofill(page)
    lost_phone = add_authenticator(context, page)
    codes = register(page, name="Rina Wati", phone="0813 2222 3333")
    go_home(page, "Rina Wati")
    sign_out(page)
    lost_phone.remove()

    recover(page, "0813-2222-3333", codes[3].lower())
    expect(page).to_have_url(re.compile(r"/account/passkeys\?recovered=1$"))
    expect(page.get_by_role("status")).to_have_text(RECOVERED)

    new_phone = add_authenticator(context, page)
    page.get_by_role("button", name="Tambah passkey di perangkat ini").click()
    expect(page).to_have_url(re.compile(r"/account/passkeys$"))
    expect(page.get_by_text(RECOVERED)).to_have_count(0)
    expect(page.locator("#passkey-list").get_by_role("listitem")).to_have_count(2)
    assert len(new_phone.credentials()) == 1

    sign_out(page)
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Halo, Rina Wati")
    assert server.call(Passkey.count().run()) == 2
    assert unexpected(console_errors) == []

    sign_out(page)
    recover(page, "0813 2222 3333", codes[3])
    expect(page).to_have_url(re.compile(r"/recover$"))
    expect(page.get_by_role("alert")).to_have_text(CODE_REFUSED)


def test_admin_enrols_through_a_one_time_link(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    _account_id, token = server.call(
        create_invited_account("admin", "Budi Santoso", "0812 1111 2222", None)
    )
    add_authenticator(context, page)

    page.goto(f"/enrol/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Budi Santoso")
    page.get_by_role("button", name=CREATE_PASSKEY).click()
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    go_home(page, "Budi Santoso")

    page.get_by_role("link", name="Akun dan tautan pendaftaran").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun")
    expect(page.locator("#account-list")).to_contain_text("Budi Santoso")
    assert unexpected(console_errors) == []

    response = page.goto(f"/enrol/{token}")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Tautan ini tidak bisa dipakai")
    expect(page.get_by_role("button", name=CREATE_PASSKEY)).to_have_count(0)
