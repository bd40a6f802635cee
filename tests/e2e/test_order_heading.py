"""The designer reopens a finished order: the line under its title says it is finished."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.accounts.services import insert_account, new_webauthn_user_id, validate_registration
from server.accounts.tables import Account
from server.orders.assignment.services import take
from server.orders.production.services import advance
from server.orders.production.stages import Stage
from tests.builders.orders import confirm_down_payment, order
from tests.builders.people import tailor
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import (
    add_authenticator,
    go_home,
    register,
    unexpected,
    without_autofill,
)
from tests.helpers import indonesian

pytestmark = pytest.mark.e2e

COMPLETED = indonesian("Completed", html=False)
EXPIRED = indonesian("Expired", html=False)


async def shipped_order(designer: str) -> str:
    """A Langsung order of the designer's, taken by a verified tailor and shipped."""
    row = await Account.select(Account.id).where(Account.name == designer).first()
    registration = validate_registration("tailor", "Siti Rahayu", "0812-1000-0001")
    tailor_id = await insert_account(registration, new_webauthn_user_id())
    await tailor(account_id=tailor_id)
    public_id = await order(row["id"], mode="direct")
    await take(tailor_id, public_id)
    for stage in (Stage.MATERIALS_RECEIVED, Stage.CUTTING, Stage.SEWING, Stage.FINISHING):
        await advance(public_id, tailor_id, stage)
    await confirm_down_payment(public_id)
    await advance(public_id, tailor_id, Stage.SHIPPED, courier="JNE", tracking_number="JNE0123")
    return f"/orders/{public_id}"


def test_a_completed_order_is_headed_completed_at_once_and_when_reopened(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    add_authenticator(context, without_autofill(page))
    register(
        page, role="Desainer, brand, atau pembeli industri", name="Dewi", phone="0813-2222-3333"
    )
    go_home(page, "Dewi")
    order_url = server.call(shipped_order("Dewi"))

    page.goto(order_url)
    heading = page.locator("h1 + p")
    page.get_by_role("button", name="Konfirmasi barang diterima").click()
    expect(page.locator("section.production").get_by_role("status")).to_contain_text("Selesai pada")
    expect(heading).to_have_text(COMPLETED)  # the region brought the heading along

    page.goto("/orders")
    page.get_by_role("link", name=re.compile("Kemeja seragam kantor")).click()
    expect(page).to_have_url(re.compile(re.escape(order_url) + "$"))
    expect(heading).to_have_text(COMPLETED)
    expect(page.get_by_text(EXPIRED)).to_have_count(0)
    assert unexpected(console_errors) == []
