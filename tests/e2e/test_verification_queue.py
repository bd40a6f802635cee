"""The admin finds the tailor who just trained, among many waiting certificates."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.accounts.tables import Account
from server.admin.cohorts import CohortForm, add_member_by_phone, create_cohort
from server.admin.tables import TrainingCohort
from tests.builders.people import MET_AT_TRAINING, submitted_at, tailor
from tests.builders.places import KOTA_BANDUNG, KOTA_SURABAYA
from tests.e2e.conftest import ConsoleErrors, LiveServer
from tests.e2e.passkey_helpers import add_authenticator, register, unexpected, without_autofill

pytestmark = pytest.mark.e2e

WAITING = 30


async def long_queue(server: LiveServer) -> str:
    """30 certificates sent days ago, then Wulan's, sent today after her training in Surabaya."""
    now = datetime.now(UTC)
    for number in range(WAITING):
        account_id = await tailor(
            f"Penjahit {number:02d}",
            f"0812-7000-{number:04d}",
            city=KOTA_BANDUNG,
            certificate=server.app,
            **MET_AT_TRAINING,
        )
        await submitted_at(account_id, now - timedelta(days=3, minutes=number))
    await tailor(
        "Wulan Sari",
        "0813-9000-0031",
        city=KOTA_SURABAYA,
        certificate=server.app,
        **MET_AT_TRAINING,
    )
    public_id = await create_cohort(
        CohortForm("Pelatihan Surabaya I", "BDI Surabaya", "35", date.today(), date.today(), "")
    )
    cohort = await TrainingCohort.select(TrainingCohort.id).where(
        TrainingCohort.public_id == public_id
    )
    await add_member_by_phone(cohort[0]["id"], "0813-9000-0031")
    return str(public_id)


def settled(page: Page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-swapping')")


def test_admin_finds_the_tailor_of_a_cohort_at_once(
    page: Page, context: BrowserContext, server: LiveServer, console_errors: ConsoleErrors
) -> None:
    cohort = server.call(long_queue(server))
    add_authenticator(context, without_autofill(page))
    register(page, name="Budi Santoso", phone="0813-5555-0001")
    server.call(Account.update({Account.role: "admin"}).where(Account.name == "Budi Santoso").run())

    page.goto("/admin/verifications")
    settled(page)
    rows = page.locator("#verification-queue > li")
    expect(rows).to_have_count(WAITING + 1)
    expect(rows.last).to_contain_text("Wulan Sari")  # last of 31

    with page.expect_response(lambda response: f"cohort={cohort}" in response.url):
        page.get_by_label("Angkatan pelatihan").select_option(value=cohort)
    expect(page.get_by_label("Angkatan pelatihan").locator("option:checked")).to_have_text(
        re.compile("^Pelatihan Surabaya I")
    )
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Wulan Sari")
    expect(page.get_by_text("1 sertifikat yang menunggu cocok.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/admin/verifications\?.*cohort={cohort}"))
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.get_by_label("Angkatan pelatihan")).to_have_value(cohort)  # the form stays

    # The address is a bookmark: opened again, the same filter and the same one tailor.
    page.reload()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Angkatan pelatihan")).to_have_value(cohort)

    page.get_by_label("Angkatan pelatihan").select_option(value="")
    expect(rows).to_have_count(WAITING + 1)
    settled(page)
    search = page.get_by_label("Nama, nomor WhatsApp, atau nomor sertifikat")
    search.fill("0813 9000")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Wulan Sari")
    expect(search).to_be_focused()  # typing goes on in the kept field
    search.fill("Tidak Ada")
    expect(page.get_by_text("Tidak ada sertifikat menunggu yang cocok")).to_be_visible()

    page.get_by_role("link", name="Tampilkan seluruh antrean").click()
    expect(rows).to_have_count(WAITING + 1)
    assert unexpected(console_errors) == []
