"""A person's data in Chromium: downloaded from the account page as a file, then the account
deleted from its confirmation page, which signs the phone out for good."""

import json
import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    SIGN_IN_WITH_PASSKEY,
    add_authenticator,
    go_home,
    register,
    unexpected,
    without_autofill,
)

pytestmark = pytest.mark.e2e

NAME = "Siti Rahayu"


def test_download_then_delete_signs_out_and_the_passkey_no_longer_opens_it(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, name=NAME, phone="0812-3456-7890")
    go_home(page, NAME)
    page.goto("/account")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh data saya").click()
    download = download_info.value
    assert re.fullmatch(r"clothingline-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    path = download.path()
    assert path is not None
    assert json.loads(path.read_text(encoding="utf-8"))["account"]["name"] == NAME

    page.get_by_role("link", name="Hapus akun saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hapus akun saya")
    page.get_by_label("Ketik HAPUS untuk konfirmasi").fill("hapus")
    page.get_by_role("button", name="Hapus akun saya selamanya").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Akun Anda sudah dihapus")
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"] == "session"]
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_role("button", name=SIGN_IN_WITH_PASSKEY).click()
    expect(page.locator("[data-passkey-error]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))
    assert [e for e in unexpected(console_errors) if "401" not in e and "400" not in e] == []


def test_the_number_can_register_again_after_deletion(
    page: Page, context: BrowserContext, server: LiveServer
) -> None:
    add_authenticator(context, without_autofill(page))
    register(page, name=NAME, phone="0812-3456-7890")
    go_home(page, NAME)
    page.goto("/account/delete")
    page.get_by_label("Ketik HAPUS untuk konfirmasi").fill("HAPUS")
    page.get_by_role("button", name="Hapus akun saya selamanya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun Anda sudah dihapus")

    page.goto("/register")
    register(page, name="Siti R.", phone="0812-3456-7890")
    go_home(page, "Siti R.")
