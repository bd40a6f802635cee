"""The programme dashboard, its targets, and who may open the admin console at all."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, AuditEvent
from server.admin.tables import ProvinceTarget
from server.tailors.tables import TailorProfile
from tests.builders.people import MET_AT_TRAINING, signed_in, signed_in_admin, tailor
from tests.builders.places import KOTA_YOGYAKARTA
from tests.helpers import HX, indonesian, post_form

FORBIDDEN_TITLE = indonesian("You cannot open this page", html=False)
RANDOM = "00000000-0000-4000-8000-000000000000"
ADMIN_PAGES = [
    "/admin",
    "/admin/targets",
    "/admin/verifications",
    f"/admin/verifications/{RANDOM}",
    "/admin/tailors",
    "/admin/tailors.csv",
    "/admin/cohorts",
    "/admin/cohorts/new",
    f"/admin/cohorts/{RANDOM}",
    "/admin/accounts",
]
ADMIN_ACTIONS = [
    "/admin/targets",
    f"/admin/verifications/{RANDOM}/approve",
    f"/admin/verifications/{RANDOM}/reject",
    f"/admin/tailors/{RANDOM}/suspend",
    f"/admin/tailors/{RANDOM}/reinstate",
    "/admin/cohorts",
    f"/admin/cohorts/{RANDOM}/members",
    f"/admin/cohorts/{RANDOM}/enrolments",
]


def row_of(html: str, name: str) -> list[str]:
    """The cells of the table row headed `name`."""
    match = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    assert match is not None, name
    return re.findall(r"<td[^>]*>([^<]*)</td>", match.group(1))


async def test_dashboard_shows_certified_per_province_against_targets(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    await tailor(
        "Ayu Lestari", "0812-3456-7001", certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
    )
    await tailor(
        "Dewi Sartika",
        "0812-3456-7002",
        certificate=app,
        approved_by=admin["id"],
        **MET_AT_TRAINING,
    )
    await tailor(
        "Rina Wati",
        "0812-3456-7003",
        city=KOTA_YOGYAKARTA,
        certificate=app,
        approved_by=admin["id"],
        **MET_AT_TRAINING,
    )
    await tailor(
        "Sari Utami", "0812-3456-7004", certificate=app, **MET_AT_TRAINING
    )  # waiting: not certified yet
    lapsed = await tailor(
        "Tari Ningsih",
        "0812-3456-7005",
        certificate=app,
        approved_by=admin["id"],
        **MET_AT_TRAINING,
    )
    await TailorProfile.update(
        {TailorProfile.certificate_expires_on: date.today() - timedelta(days=2)}
    ).where(TailorProfile.account == lapsed)

    response = await client.get("/admin")
    assert response.status_code == 200
    html = response.text
    assert row_of(html, "Jawa Barat") == ["2", "165", "1%"]
    assert row_of(html, "Daerah Istimewa Yogyakarta") == ["1", "60", "2%"]
    assert row_of(html, "Daerah Khusus Ibukota Jakarta") == ["0", "100", "0%"]
    assert row_of(html, "Jawa Timur") == ["0", "50", "0%"]
    assert row_of(html, "Indonesia (target nasional)") == ["3", "500", "1%"]
    assert "<strong>3 / 500</strong>" in html
    chart = re.search(
        r'<svg class="chart" role="img" aria-labelledby="([^"]+)"(.*?)</svg>', html, re.S
    )
    assert chart is not None
    assert '<title id="chart-title">' in chart.group(2) and '<desc id="chart-desc">' in chart.group(
        2
    )
    assert chart.group(2).count('class="value"') == 4
    assert ">2 / 165</text>" in chart.group(2)


async def test_pending_and_suspended_counts_link_to_their_lists(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    await tailor("Sari Utami", "0812-3456-7004", certificate=app, **MET_AT_TRAINING)
    await tailor("Dewi Sartika", "0812-3456-7002", certificate=app, **MET_AT_TRAINING)
    suspended, _token = await create_invited_account("tailor", "Tari", "0812-3456-7005", None)
    await Account.update({Account.status: "suspended"}).where(Account.id == suspended)
    html = (await client.get("/admin")).text
    assert '<a href="/admin/verifications"><strong>2</strong>' in html
    assert '<a href="/admin/accounts?status=suspended"><strong>1</strong>' in html
    listing = await client.get("/admin/accounts?status=suspended")
    assert "Tari" in listing.text and "Sari Utami" not in listing.text


async def test_weekly_table_counts_signups_and_verifications(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    this_week = datetime.now(UTC)
    three_weeks_ago = this_week - timedelta(weeks=3)
    ten_weeks_ago = this_week - timedelta(weeks=10)
    old = await tailor(
        "Ayu Lestari", "0812-3456-7001", certificate=app, approved_by=admin["id"], **MET_AT_TRAINING
    )
    earlier = await tailor("Dewi Sartika", "0812-3456-7002", certificate=app, **MET_AT_TRAINING)
    await tailor("Rina Wati", "0812-3456-7003", certificate=app, **MET_AT_TRAINING)
    await Account.update({Account.created_at: ten_weeks_ago}).where(Account.id == old)
    await Account.update({Account.created_at: three_weeks_ago}).where(Account.id == earlier)
    await AuditEvent.update({AuditEvent.created_at: three_weeks_ago}).where(
        AuditEvent.subject == old
    )
    html = (await client.get("/admin")).text
    rows = re.findall(
        r'<tr><th scope="row">Minggu ke-(\d+), mulai [^<]+</th><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)</td></tr>',
        html,
    )
    assert len(rows) == 8
    counts = {int(week): (int(signups), int(approvals)) for week, signups, approvals in rows}
    jakarta_week = (this_week + timedelta(hours=7)).isocalendar().week
    assert counts[jakarta_week] == (1, 0)  # Rina; the admin is no tailor any more
    earlier_week = (three_weeks_ago + timedelta(hours=7)).isocalendar().week
    assert counts[earlier_week] == (1, 1)
    assert sum(signups for signups, _approvals in counts.values()) == 2


async def test_targets_are_the_programme_figures_until_edited(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_admin(client)
    page = await client.get("/admin/targets")
    assert 'name="target-ID" type="number"' in page.text
    assert re.search(r'name="target-32"[^>]*value="165"', page.text)
    assert re.search(r'name="target-51"[^>]*value="0"', page.text) is None
    assert await ProvinceTarget.count() == 0


async def test_targets_are_saved_together_and_shown(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    response = await post_form(
        client,
        "/admin/targets",
        {"target-ID": "600", "target-32": "200", "target-51": "25", "target-31": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    stored = {
        row["province_code"]: row["target"]
        for row in await ProvinceTarget.select(ProvinceTarget.province_code, ProvinceTarget.target)
    }
    assert stored["ID"] == 600 and stored["32"] == 200 and stored["51"] == 25
    assert stored["31"] == 0 and stored["34"] == 0
    html = (await client.get("/admin")).text
    assert row_of(html, "Bali") == ["0", "25", "0%"]
    assert row_of(html, "Indonesia (target nasional)") == ["0", "600", "0%"]
    assert "Daerah Khusus Ibukota Jakarta" not in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Gunakan angka 0 sampai 100.000."),
        ("100001", "Gunakan angka 0 sampai 100.000."),
        ("banyak", "Tulis angka bulat."),
        ("1.5", "Tulis angka bulat."),
    ],
)
async def test_bad_targets_are_refused_and_nothing_is_saved(
    client: AsyncTestClient[Any], value: str, message: str
) -> None:
    await signed_in_admin(client)
    response = await post_form(client, "/admin/targets", {"target-ID": "700", "target-32": value})
    assert response.status_code == 400
    assert message in response.text
    assert 'id="target-32" name="target-32"' in response.text
    assert 'aria-describedby="target-32-error"' in response.text
    assert await ProvinceTarget.count() == 0


@pytest.mark.parametrize("role", ["tailor", "designer"])
async def test_admin_console_refuses_tailors_and_designers(
    client: AsyncTestClient[Any], role: str
) -> None:
    await signed_in(client, role, "Siti Rahayu", "0812-3456-7001")
    for url in ADMIN_PAGES:
        response = await client.get(url, follow_redirects=False)
        assert response.status_code == 403, url
        assert FORBIDDEN_TITLE in response.text
    for url in ADMIN_ACTIONS:
        response = await post_form(client, url, {"reason": "Coba-coba saja."})
        assert response.status_code == 403, url


async def test_admin_console_sends_visitors_to_sign_in(client: AsyncTestClient[Any]) -> None:
    for url in ADMIN_PAGES:
        response = await client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"] == "/login?" + urlencode({"next": url})
        fragment = await client.get(url, headers=HX, follow_redirects=False)
        assert fragment.status_code == 401
    for url in ADMIN_ACTIONS:
        response = await post_form(client, url, {}, follow_redirects=False)
        assert response.status_code == 303, url
