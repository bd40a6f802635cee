"""The recovery codes, shown once after registering: readable on a phone, copied, printed."""

from itertools import pairwise

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import add_authenticator, register, unexpected, without_autofill
from tests.helpers import indonesian

pytestmark = pytest.mark.e2e

COPIED = indonesian("Copied: paste the codes somewhere safe.", html=False)
# Counts calls to window.print (the real dialog would block the page).
COUNT_PRINTS = "window.printed = 0; window.print = () => { window.printed += 1; };"


def test_codes_are_one_per_line_copied_all_and_printable(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    add_authenticator(context, without_autofill(page))
    page.add_init_script(COUNT_PRINTS)
    codes = register(page, name="Siti Rahayu", phone="0812-3456-7890")

    boxes = [code.bounding_box() for code in page.locator("#recovery-codes code").all()]
    assert all(box is not None for box in boxes)
    font_size = page.locator("#recovery-codes").evaluate("list => getComputedStyle(list).fontSize")
    for box in boxes:
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # nothing cut off
        assert box["height"] < 2 * float(font_size.removesuffix("px"))  # one line, no wrap
    for above, below in pairwise(boxes):
        assert above is not None and below is not None
        assert below["y"] >= above["y"] + above["height"]  # each on its own line, in order
    assert float(font_size.removesuffix("px")) >= 20
    family = page.locator("#recovery-codes code").first.evaluate(
        "code => getComputedStyle(code).fontFamily"
    )
    assert "monospace" in family

    page.get_by_role("button", name="Salin kode").click()
    expect(page.get_by_role("status").filter(has_text=COPIED)).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").split("\n") == codes

    page.get_by_role("button", name="Cetak kode").click()
    page.wait_for_function("window.printed === 1")
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Salin kode")).to_be_hidden()
    expect(page.get_by_role("link", name="Kode sudah saya simpan")).to_be_hidden()
    expect(page.locator("#recovery-codes")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("header.topbar")).to_be_visible()
    assert unexpected(console_errors) == []
