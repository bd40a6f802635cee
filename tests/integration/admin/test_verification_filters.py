"""The verification queue: search by name, number or certificate; filter by province and cohort."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.admin.cohorts import CohortForm, add_member_by_phone, create_cohort
from server.admin.tables import TrainingCohort
from server.tailors import services as tailors
from server.tailors.tables import Certificate
from tests.builders.people import (
    MET_AT_TRAINING,
    certificate_of,
    signed_in_admin,
    submitted_at,
    tailor,
)
from tests.builders.places import KOTA_BANDUNG, KOTA_SURABAYA, KOTA_YOGYAKARTA

ROW_NAMES = re.compile(r'href="/admin/verifications/[0-9a-f-]{36}"><strong>([^<]+)</strong>')
NO_MATCH = "Tidak ada sertifikat menunggu yang cocok dengan pencarian ini."
TAILORS = (  # name, phone, city, hours since the certificate was sent
    ("Rina Wati", "0812-3456-7001", KOTA_BANDUNG, 40),
    ("Siti Rahayu", "0812-3456-7002", KOTA_YOGYAKARTA, 30),
    ("Ayu Lestari", "0812-3456-7003", KOTA_SURABAYA, 20),
    ("Dewi Sartika", "0812-3456-7004", KOTA_BANDUNG, 10),
)


async def waiting_queue(app: Litestar) -> str:
    """Four certificates waiting; Ayu and Dewi trained in the Surabaya cohort. Its public id."""
    now = datetime.now(UTC)
    for name, phone, city, hours in TAILORS:
        account_id = await tailor(name, phone, city=city, certificate=app, **MET_AT_TRAINING)
        await submitted_at(account_id, now - timedelta(hours=hours))
        if name == "Ayu Lestari":
            await Certificate.update({Certificate.number: "KPJ.777.09876.2026"}).where(
                Certificate.account == account_id
            )
    cohort = await create_cohort(
        CohortForm(
            "Pelatihan Surabaya I", "BDI Surabaya", "35", date(2026, 11, 2), date(2026, 11, 6), ""
        )
    )
    row = (
        await TrainingCohort.select(TrainingCohort.id)
        .where(TrainingCohort.public_id == cohort)
        .first()
    )
    for phone in ("0812-3456-7003", "0812-3456-7004"):
        await add_member_by_phone(row["id"], phone)
    return str(cohort)


async def listed(client: AsyncTestClient[Any], query: str, **headers: str) -> list[str]:
    response = await client.get(f"/admin/verifications?{query}", headers=headers)
    assert response.status_code == 200
    return ROW_NAMES.findall(response.text)


SEARCHES = [
    ("siti", ["Siti Rahayu"]),  # part of a name, any case
    ("RAHAYU", ["Siti Rahayu"]),
    ("0812 3456 7003", ["Ayu Lestari"]),  # a number as people write it
    ("%2B62812-3456-7004", ["Dewi Sartika"]),
    ("3456-700", [name for name, *_ in TAILORS]),
    ("09876", ["Ayu Lestari"]),  # part of the certificate number
    ("kpj.777", ["Ayu Lestari"]),
    ("Budi", []),
]


async def test_search_finds_by_name_phone_or_certificate_number(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    await waiting_queue(app)
    for search, expected in SEARCHES:
        assert await listed(client, f"q={search}") == expected, search


async def test_province_filter_keeps_the_oldest_first(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    await waiting_queue(app)
    assert await listed(client, "province=32") == ["Rina Wati", "Dewi Sartika"]
    assert await listed(client, "province=34") == ["Siti Rahayu"]


async def test_cohort_filter_lists_its_participants(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    cohort = await waiting_queue(app)
    assert await listed(client, f"cohort={cohort}") == ["Ayu Lestari", "Dewi Sartika"]


COMBINATIONS = [
    ("province=32&cohort={cohort}", ["Dewi Sartika"]),
    ("q=ayu&cohort={cohort}", ["Ayu Lestari"]),
    ("q=rina&province=32", ["Rina Wati"]),
    ("q=0812-3456&province=35&cohort={cohort}", ["Ayu Lestari"]),
    ("q=rina&cohort={cohort}", []),
    ("province=34&cohort={cohort}", []),
]


async def test_filters_combine(client: AsyncTestClient[Any], app: Litestar) -> None:
    await signed_in_admin(client)
    cohort = await waiting_queue(app)
    for query, expected in COMBINATIONS:
        assert await listed(client, query.format(cohort=cohort)) == expected, query


async def test_no_match_says_so_and_offers_the_whole_queue(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    await waiting_queue(app)
    response = await client.get("/admin/verifications?q=Budi&province=34")
    assert NO_MATCH in response.text
    assert "0 sertifikat yang menunggu cocok." in response.text
    assert '<a href="/admin/verifications">Tampilkan seluruh antrean</a>' in response.text
    assert "4 sertifikat menunggu, yang terlama lebih dulu." in response.text


async def test_filtered_url_is_a_bookmark(client: AsyncTestClient[Any], app: Litestar) -> None:
    """Opened from a bookmark, the page shows the form filled in as it was, and its results."""
    await signed_in_admin(client)
    cohort = await waiting_queue(app)
    response = await client.get(f"/admin/verifications?q=dewi&province=32&cohort={cohort}")
    assert "<header" in response.text and 'role="search"' in response.text
    assert 'name="q" type="search" value="dewi"' in response.text
    assert re.search(r'value="32"\s+selected', response.text)
    assert re.search(rf'value="{cohort}"\s+selected', response.text)
    assert "1 sertifikat yang menunggu cocok." in response.text
    assert ROW_NAMES.findall(response.text) == ["Dewi Sartika"]


async def test_htmx_answer_is_the_results_only(client: AsyncTestClient[Any], app: Litestar) -> None:
    await signed_in_admin(client)
    cohort = await waiting_queue(app)
    response = await client.get(
        f"/admin/verifications?cohort={cohort}",
        headers={"HX-Request": "true", "HX-Target": "verification-results"},
    )
    assert response.text.lstrip().startswith('<section id="verification-results"')
    assert "<header" not in response.text and 'role="search"' not in response.text
    assert ROW_NAMES.findall(response.text) == ["Ayu Lestari", "Dewi Sartika"]
    assert "HX-Request" in response.headers["vary"]


async def test_unknown_filter_values_are_ignored(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    await waiting_queue(app)
    everyone = [name for name, *_ in TAILORS]
    for query in ("province=99", "cohort=not-a-cohort", f"cohort={uuid4()}", "province=&cohort="):
        assert await listed(client, query) == everyone, query
    assert await listed(client, "q=" + "x" * 500) == []


async def test_decided_certificates_are_not_found(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    admin = await signed_in_admin(client)
    await waiting_queue(app)
    account = await Account.select(Account.id).where(Account.name == "Rina Wati").first()
    rina = await certificate_of(account["id"])
    await tailors.decide_certificate(rina["public_id"], admin["id"], True, "")
    assert await listed(client, "q=rina") == []
    assert await listed(client, "province=32") == ["Dewi Sartika"]
