"""`clothingline demo-data`: the programme's first cohorts, deterministic and idempotent."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import h3
import pytest

from server import piccolo_conf, regions
from server.accounts.tables import Account, AuditEvent, Role
from server.admin.tables import CohortMember, ProvinceTarget, TrainingCohort
from server.cli import main
from server.db import all_tables, current_engine
from server.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from server.demo_data import Summary, build_programme, load_demo_data
from server.demo_data import load as demo_data_load
from server.demo_data.catalogue import REGIONS
from server.designers.tables import DesignerProfile
from server.notifications.tables import Notification
from server.orders.offers.feed import nearby_orders, sizes_of
from server.orders.records import OrderRecord
from server.orders.tables import DispatchDecision, Offer, Order
from server.phones import normalize_phone
from server.settings import get_settings
from server.tailors.services import H3_RESOLUTION, coarsen, effective_verification
from server.tailors.tables import Certificate, TailorProfile, TailorSkill
from tests.conftest import empty_tables

PINNED = date(2026, 6, 1)
# Bogor, Depok, Bekasi (Jawa Barat) and Tangerang (Banten), kota and kabupaten, beside DKI.
JABODETABEK_OUTSIDE_DKI = {"32.01", "32.71", "32.76", "32.16", "32.75", "36.03", "36.71", "36.74"}
DEMO_PHONES = {account.phone for account in DEMO_ACCOUNTS}


async def tailors() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await TailorProfile.select(
        *TailorProfile.all_columns(), TailorProfile.account.phone, TailorProfile.account.name
    ).order_by(TailorProfile.account.phone)
    return rows


async def latest_certificates() -> dict[int, dict[str, Any]]:
    rows = await Certificate.select().order_by(Certificate.submitted_at)
    return {row["account"]: row for row in rows}  # the last one per account wins


async def row_counts() -> dict[str, int]:
    tables = [Account, TailorProfile, TailorSkill, Certificate, AuditEvent, DesignerProfile]
    tables += [TrainingCohort, CohortMember, ProvinceTarget]
    tables += [Order, Offer, DispatchDecision, Notification]
    return {table._meta.tablename: int(await table.count()) for table in tables}


@pytest.fixture(scope="module")
def loads() -> dict[str, Summary]:
    """The pinned programme as loaded on each engine, while this module's tests run in a row:
    kept for the next test that only reads it, forgotten once any other test ran."""
    return {}


@pytest.fixture(autouse=True)
def forget_the_load_when_others_run(
    request: pytest.FixtureRequest, loads: dict[str, Summary]
) -> None:
    if "demo_programme" not in request.fixturenames:
        loads.clear()


@pytest.fixture
async def demo_programme(database_url: str, loads: dict[str, Summary]) -> Summary:
    """The pinned programme, loaded into an empty database (once for the tests in a row that
    only read it)."""
    if database_url not in loads:
        loads.clear()
        empty_tables(database_url)
        loads[database_url] = await load_demo_data(PINNED)
    return loads[database_url]


def region_of(profile: dict[str, Any]) -> str:
    if profile["province_code"] == "31" or profile["city_code"] in JABODETABEK_OUTSIDE_DKI:
        return "jabodetabek"
    return {"32": "jawa_barat", "34": "yogyakarta", "35": "jawa_timur"}[profile["province_code"]]


async def test_demo_data_fills_each_region_with_its_cohort(demo_programme: Summary) -> None:
    summary = demo_programme

    assert summary.accounts == {Role.TAILOR: 375, Role.DESIGNER: 13, Role.ADMIN: 1}
    assert summary.cohorts == 4
    profiles = await tailors()
    assert Counter(region_of(p) for p in profiles) == {
        "jawa_barat": 165,
        "jabodetabek": 100,
        "yogyakarta": 60,
        "jawa_timur": 50,
    }
    cohorts = await TrainingCohort.select().order_by(TrainingCohort.starts_on)
    assert [c["name"] for c in cohorts] == [
        "Bimbingan dan Sertifikasi Jawa Barat Angkatan 1",
        "Bimbingan dan Sertifikasi Jakarta Angkatan 1",
        "Bimbingan dan Sertifikasi Yogyakarta Angkatan 1",
        "Bimbingan dan Sertifikasi Surabaya Angkatan 1",
    ]
    assert all(c["starts_on"] <= c["ends_on"] < PINNED and c["trainer"] for c in cohorts)
    region_by_account = {p["account"]: region_of(p) for p in profiles}
    members = await CohortMember.select(CohortMember.account, CohortMember.cohort.name)
    assert len(members) == 375
    for member in members:
        region = region_by_account[member["account"]]
        assert member["cohort.name"] == next(r.cohort_name for r in REGIONS if r.key == region)
    targets = await ProvinceTarget.select(ProvinceTarget.province_code, ProvinceTarget.target)
    assert {t["province_code"]: t["target"] for t in targets} == {
        "ID": 500,
        "32": 165,
        "31": 100,
        "34": 60,
        "35": 50,
    }
    designers = await DesignerProfile.select(
        DesignerProfile.city_code, DesignerProfile.business_name
    )
    assert len(designers) == 13
    assert all(regions.city(d["city_code"]) and d["business_name"] for d in designers)


async def test_demo_data_mixes_certificate_statuses_consistently(demo_programme: Summary) -> None:
    admin = await Account.select(Account.id).where(Account.role == Role.ADMIN).first()
    assert admin is not None
    profiles = await tailors()
    latest = await latest_certificates()
    statuses = Counter(effective_verification(p, on=PINNED) for p in profiles)
    assert statuses["verified"] > len(profiles) / 2
    assert statuses["pending"] >= 1
    assert statuses["rejected"] >= 1
    assert statuses["expired"] >= 1
    assert set(statuses) == {"verified", "pending", "rejected", "expired"}
    for profile in profiles:
        certificate = latest[profile["account"]]
        status = effective_verification(profile, on=PINNED)
        expected = {"approved": "verified", "pending": "pending", "rejected": "rejected"}
        if certificate["expires_on"] < PINNED and certificate["status"] == "approved":
            assert status == profile["verification"] == "expired"
        else:
            assert status == expected[certificate["status"]]
        if status in ("verified", "expired"):
            assert profile["certificate_expires_on"] == certificate["expires_on"]
        assert certificate["issued_on"] < certificate["expires_on"]
        assert certificate["issued_on"] <= certificate["submitted_at"].date() <= PINNED
        assert certificate["scheme"] == "SKKNI Industri Pakaian Jadi"
        assert not profile["available"] or status == "verified"
        assert profile["weekly_capacity"] > 0 and profile["bio"]
    assert sum(p["available"] for p in profiles) > statuses["verified"] / 2

    decided = await Certificate.select().where(Certificate.decided_at.is_not_null())
    assert all(c["decided_by"] == admin["id"] for c in decided)
    assert all(c["decision_reason"] for c in decided if c["status"] == "rejected")
    events = await AuditEvent.select(AuditEvent.kind, AuditEvent.actor)
    assert len(events) == len(decided)
    assert {e["actor"] for e in events} == {admin["id"]}
    assert Counter(e["kind"] for e in events) == Counter(
        f"certificate_{c['status']}" for c in decided
    )


async def test_demo_data_places_tailors_in_listed_cities(demo_programme: Summary) -> None:
    for profile in await tailors():
        city = regions.city(profile["city_code"])
        assert city is not None
        assert city.province_code == profile["province_code"]
        latitude, longitude = profile["latitude"], profile["longitude"]
        assert profile["h3_cell"] == h3.latlng_to_cell(latitude, longitude, H3_RESOLUTION)
        if profile["location_source"] == "city":
            assert (latitude, longitude) == (city.latitude, city.longitude)
        else:
            assert profile["location_source"] == "device"
            assert (latitude, longitude) == coarsen(latitude, longitude)
            assert regions.nearest_city(latitude, longitude) == city
            assert regions.haversine_km(latitude, longitude, city.latitude, city.longitude) < 10
    skills = await TailorSkill.select(TailorSkill.category)
    assert {row["category"] for row in skills} >= {"kemeja", "kaos", "seragam", "gamis", "batik"}


async def test_demo_data_gives_demo_accounts_their_parts(demo_programme: Summary) -> None:
    accounts = await Account.select(Account.role, Account.name, Account.phone)
    phones = [a["phone"] for a in accounts]
    assert len(set(phones)) == len(phones) == 389
    assert all(normalize_phone(phone) == phone for phone in phones)
    demo = {(a.role, a.name, a.phone) for a in DEMO_ACCOUNTS}
    assert demo <= {(a["role"], a["name"], a["phone"]) for a in accounts}

    tailor = next(p for p in await tailors() if p["account.phone"] == DEMO_ACCOUNTS[0].phone)
    assert tailor["city_code"] == "32.73"  # Kota Bandung
    assert effective_verification(tailor, on=PINNED) == "verified"
    assert tailor["available"]
    skills = await TailorSkill.select(TailorSkill.category).where(
        TailorSkill.profile == tailor["id"]
    )
    assert len(skills) >= 3
    designer = await DesignerProfile.select().where(
        DesignerProfile.account.phone == DEMO_ACCOUNTS[1].phone
    )
    assert designer[0]["business_name"] == "Batik Kirana"


async def test_demo_data_twice_creates_nothing_new(clean_database: str) -> None:
    await load_demo_data(PINNED)
    before = await row_counts()

    again = await load_demo_data(PINNED)

    assert sum(again.accounts.values()) == 0
    assert again.cohorts == 0
    assert await row_counts() == before


async def test_demo_data_completes_demo_accounts_created_by_demo_mode(
    clean_database: str,
) -> None:
    await ensure_demo_accounts()  # what `serve --demo` does on start

    summary = await load_demo_data(PINNED)

    assert sum(summary.accounts.values()) == 389 - len(DEMO_ACCOUNTS)
    profiles = await tailors()
    assert len(profiles) == 375
    tailor = next(p for p in profiles if p["account.phone"] == DEMO_ACCOUNTS[0].phone)
    assert tailor["verification"] == "verified"


async def test_demo_data_finishes_a_run_that_stopped_between_cohorts(
    clean_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = build_programme(PINNED)
    half = dataclasses.replace(whole, cohorts=whole.cohorts[:2])
    monkeypatch.setattr(demo_data_load, "build_programme", lambda today: half)
    await load_demo_data(PINNED)
    monkeypatch.undo()

    rest = await load_demo_data(PINNED)

    assert rest.accounts == {Role.TAILOR: 60 + 50}
    assert rest.cohorts == 2
    counts = await row_counts()
    assert counts["account"] == 389
    assert counts["tailor_profile"] == counts["cohort_member"] == 375
    assert counts["training_cohort"] == 4


async def test_demo_data_is_the_same_on_every_fresh_run(clean_database: str) -> None:
    assert build_programme(PINNED) == build_programme(PINNED)
    columns = ("account.name", "account.phone", "city_code", "latitude", "longitude")

    await load_demo_data(PINNED)
    first = [tuple(p[c] for c in (*columns, "verification")) for p in await tailors()]
    first_orders = await order_rows()
    empty_tables(clean_database)
    await load_demo_data(PINNED)
    second = [tuple(p[c] for c in (*columns, "verification")) for p in await tailors()]

    assert first == second
    assert first_orders == await order_rows()
    tailor_phones = {row[1] for row in first}
    assert len(tailor_phones) == 375
    assert tailor_phones & DEMO_PHONES == {DEMO_ACCOUNTS[0].phone}


# Orders ----------------------------------------------------------------------------------------


async def orders_with_offers() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Order.select(
        *Order.all_columns(), Order.designer.phone, Order.designer.name
    ).order_by(Order.published_at)
    offers = await Offer.select().order_by(Offer.id)
    for row in rows:
        row["offers"] = [offer for offer in offers if offer["order"] == row["id"]]
    return rows


async def test_demo_data_adds_orders_in_every_state_and_both_modes(demo_programme: Summary) -> None:
    summary = demo_programme

    orders = await orders_with_offers()
    assert summary.orders == len(orders) == 30
    kinds = Counter((order["status"], order["mode"]) for order in orders)
    assert {kind for kind, count in kinds.items() if count} >= {
        ("open", "bidding"),
        ("open", "direct"),
        ("assigned", "bidding"),
        ("assigned", "direct"),
    }
    assert sum(count for (status, _mode), count in kinds.items() if status == "expired") >= 3
    live = [o for o in orders if any(offer["status"] == "live" for offer in o["offers"])]
    assert len(live) >= 4
    assert all(o["status"] == "open" and o["mode"] == "bidding" for o in live)
    designers = {
        d["account.phone"] for d in await DesignerProfile.select(DesignerProfile.account.phone)
    }
    assert {o["designer.phone"] for o in orders} <= designers
    for order in orders:
        assert order["published_at"].date() < PINNED
        assert (order["deadline"] < PINNED) == (order["status"] == "expired")
        assert regions.city(order["city_code"]) is not None
        assert (
            sum(v for v in sizes_of(OrderRecord.from_row(order)).values() if isinstance(v, int))
            == order["quantity"]
        )
        for offer in order["offers"]:
            assert offer["pair"] == f"{order['id']}:{offer['tailor']}"
            assert order["published_at"] < offer["created_at"]
            assert offer["ready_by"] <= order["deadline"]


async def test_demo_data_assigns_orders_to_tailors_who_could_sew_them(
    demo_programme: Summary,
) -> None:
    profiles = {p["account"]: p for p in await tailors()}
    skills = await TailorSkill.select(TailorSkill.profile.account, TailorSkill.category)
    for order in await orders_with_offers():
        if order["status"] != "assigned":
            assert order["assigned_tailor"] is None
            continue
        tailor = profiles[order["assigned_tailor"]]
        assert effective_verification(tailor, on=PINNED) == "verified"
        assert {"profile.account": tailor["account"], "category": order["category"]} in skills
        distance = regions.haversine_km(
            tailor["latitude"], tailor["longitude"], order["latitude"], order["longitude"]
        )
        assert distance <= tailor["service_radius_km"]
        assert order["published_at"] < order["assigned_at"]
        accepted = [offer for offer in order["offers"] if offer["status"] == "accepted"]
        if order["mode"] == "direct":
            assert accepted == []
            assert order["agreed_price_per_piece"] == order["budget_per_piece"]
        else:
            assert [offer["tailor"] for offer in accepted] == [tailor["account"]]
            assert order["agreed_price_per_piece"] == accepted[0]["price_per_piece"]
            assert {o["status"] for o in order["offers"]} <= {"accepted", "declined"}


async def test_demo_orders_went_through_dispatch_on_their_day(demo_programme: Summary) -> None:
    orders = await orders_with_offers()
    decisions = await DispatchDecision.select(
        DispatchDecision.order, DispatchDecision.wave, DispatchDecision.outcome
    )
    alerts = await Notification.select().where(Notification.kind == "new_order")
    for order in orders:
        assert order["dispatch_wave"] == 1
        mine = [d for d in decisions if d["order"] == order["id"]]
        assert {d["wave"] for d in mine} <= {1}
        alerted = sum(d["outcome"] == "alerted" for d in mine)
        url = f"/orders/{order['public_id']}"
        told = [a for a in alerts if a["url"] == url]
        assert len(told) == alerted
        assert all(a["created_at"] == order["published_at"] for a in told)
        waiting = order["status"] == "open" and not order["offers"]
        assert (order["next_wave_at"] is not None) == waiting
    assert sum(d["outcome"] == "alerted" for d in decisions) > 20


async def test_demo_accounts_have_orders_to_show(demo_programme: Summary) -> None:
    orders = await orders_with_offers()
    demo_designer, demo_tailor = DEMO_ACCOUNTS[1].phone, DEMO_ACCOUNTS[0].phone
    mine = [o for o in orders if o["designer.phone"] == demo_designer]
    assert {o["status"] for o in mine} == {"open", "assigned", "expired"}
    assert {o["mode"] for o in mine if o["status"] == "open"} == {"bidding", "direct"}
    assert any(len(o["offers"]) >= 2 for o in mine if o["status"] == "open")
    tailor = next(p for p in await tailors() if p["account.phone"] == demo_tailor)
    assert any(o["assigned_tailor"] == tailor["account"] for o in mine)
    feed = await nearby_orders(tailor["account"], PINNED)
    assert len(feed.items) >= 2
    assert any(item.order.mode == "direct" for item in feed.items)
    offered = {
        offer["tailor"] for o in orders for offer in o["offers"] if offer["status"] == "live"
    }
    assert tailor["account"] not in offered  # making an offer is left to the demo user


async def order_rows() -> list[tuple[Any, ...]]:
    columns = ("public_id", "designer.phone", "status", "mode", "deadline", "published_at")
    rows = await Order.select(
        *Order.all_columns(), Order.designer.phone, Order.assigned_tailor.phone
    ).order_by(Order.public_id)
    return [tuple(row[c] for c in (*columns, "assigned_tailor.phone")) for row in rows]


# The command -----------------------------------------------------------------------------------


@pytest.fixture
def command_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`clothingline` run in-process on its own SQLite file; the other tests get theirs back."""
    path = tmp_path / "db.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    previous = current_engine()
    get_settings.cache_clear()
    main(["migrate"])
    yield path
    get_settings.cache_clear()
    piccolo_conf.DB = previous
    for table in all_tables():
        table._meta.db = previous


def count_rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        query = f'SELECT count(*) FROM "{table}"'  # noqa: S608 (a table name, not input)
        return int(connection.execute(query).fetchone()[0])


def test_demo_data_if_empty_leaves_a_database_with_accounts_alone(
    command_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["create-admin", "--name", "Budi Santoso", "--phone", "0811-2222-3333"])
    capsys.readouterr()

    main(["demo-data", "--if-empty"])

    assert "no demo data loaded" in capsys.readouterr().out
    assert count_rows(command_database, "account") == 1


def test_demo_data_if_empty_loads_an_empty_database(
    command_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["demo-data", "--if-empty"])
    first = capsys.readouterr().out.strip()
    main(["demo-data"])
    second = capsys.readouterr().out.strip()

    assert first.startswith("clothingline demo-data: created 389 accounts (375 tailors")
    assert first.endswith("4 training cohorts and 30 orders")
    assert second.startswith("clothingline demo-data: created 0 accounts")
    assert second.endswith("0 training cohorts and 0 orders")
    assert count_rows(command_database, "account") == 389
    assert count_rows(command_database, "photo") == 3  # the demo tailor's portfolio
    assert len(list((command_database.parent / "media").glob("*.webp"))) == 6
