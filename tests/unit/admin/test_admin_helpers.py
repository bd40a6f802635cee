"""The admin console's pure helpers: CSV cells, ISO weeks, bar scaling, form parsing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from server.admin.charts import bar_chart
from server.admin.cohorts import parse_cohort, parse_enrolment_lines, stage_of
from server.admin.dashboard import count_by_week, parse_targets, target_codes, week_mondays
from server.admin.directory import csv_cell, parse_filter, parse_page, to_csv
from server.admin.refusals import AdminError

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+62812", "'+62812"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Siti = penjahit", "Siti = penjahit"),
        ("0812-3456-7890", "0812-3456-7890"),
        ("", ""),
        (None, ""),
        (120, "120"),
    ],
)
def test_csv_cell_quotes_formula_starts_only(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


def test_csv_has_a_bom_and_round_trips() -> None:
    text = to_csv(["Nama", "Kota"], [["=1+1", "Kota Bandung"], ['Ayu "Ayu", S.Pd', "Bogor"]])
    assert text.startswith("\ufeffNama,Kota\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["Nama", "Kota"], ["'=1+1", "Kota Bandung"], ['Ayu "Ayu", S.Pd', "Bogor"]]


def test_week_mondays_are_the_last_eight_iso_weeks() -> None:
    mondays = week_mondays(date(2026, 1, 1))  # a Thursday in ISO week 1 of 2026
    assert len(mondays) == 8
    assert mondays[-1] == date(2025, 12, 29)
    assert mondays[0] == date(2025, 11, 10)
    assert all(monday.weekday() == 0 for monday in mondays)


def test_count_by_week_uses_local_time_and_ignores_other_weeks() -> None:
    mondays = week_mondays(date(2026, 12, 2))  # Wednesday; this week starts Mon 30 Nov
    moments = [
        datetime(2026, 11, 29, 18, 0, tzinfo=UTC),  # Monday 01.00 in Jakarta: this week
        datetime(2026, 11, 29, 16, 0, tzinfo=UTC),  # Sunday 23.00 in Jakarta: last week
        datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
        datetime(2026, 1, 5, 3, 0, tzinfo=UTC),  # long ago
    ]
    counts = count_by_week(moments, mondays, JAKARTA)
    assert counts[-1] == 2 and counts[-2] == 1 and sum(counts) == 3
    assert count_by_week(moments, mondays, UTC)[-1] == 1


def test_bar_chart_scales_to_the_largest_value_or_target() -> None:
    chart = bar_chart([("Jawa Barat", 33, 165), ("DKI Jakarta", 120, 100), ("Bali", 0, 0)])
    west_java, jakarta, bali = chart.bars
    assert west_java.target_width == chart.plot_width  # 165 is the largest number
    assert west_java.value_width == round(chart.plot_width * 33 / 165, 1)
    assert jakarta.value_width == round(chart.plot_width * 120 / 165, 1)
    assert jakarta.target_width == round(chart.plot_width * 100 / 165, 1)
    assert (bali.value_width, bali.target_width) == (0, 0)
    assert [bar.y for bar in chart.bars] == [0, 30, 60]
    assert chart.height == 90


def test_bar_chart_keeps_tiny_values_visible_and_survives_no_data() -> None:
    chart = bar_chart([("Papua", 1, 100_000)])
    assert chart.bars[0].value_width == 1.0
    empty = bar_chart([])
    assert empty.bars == [] and empty.height > 0


def test_parse_targets_reads_every_province_and_reports_each_bad_one() -> None:
    values, errors = parse_targets({"target-ID": "500", "target-32": " 165 ", "target-31": ""})
    assert errors == {}
    assert values["ID"] == 500 and values["32"] == 165 and values["31"] == 0
    assert set(values) == set(target_codes())
    _values, errors = parse_targets({"target-ID": "-1", "target-32": "x", "target-33": "100001"})
    assert errors == {"ID": "out_of_range", "32": "not_a_number", "33": "out_of_range"}


def test_parse_enrolment_lines_accepts_usual_separators() -> None:
    found = parse_enrolment_lines(
        "Siti Rahayu, 0812-3456-7001\n\nAyu, S.Pd; 0812 3456 7002\r\nRina\t+6281234567003"
    )
    assert [(line, person.name, person.phone) for line, person in found] == [
        (1, "Siti Rahayu", "+6281234567001"),
        (3, "Ayu, S.Pd", "+6281234567002"),
        (4, "Rina", "+6281234567003"),
    ]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("Siti Rahayu 0812-3456-7001", "bad_line", 1),
        ("Siti, 0812-3456-7001\nAyu, 12", "invalid_phone", 2),
        ("Siti, 0812-3456-7001\nA, 0812-3456-7002", "invalid_name", 2),
        ("Siti, 0812-3456-7001\nAyu, +62 812 3456 7001", "duplicate_phone", 2),
        ("", "empty_batch", None),
    ],
)
def test_parse_enrolment_lines_names_the_bad_line(text: str, code: str, line: int | None) -> None:
    with pytest.raises(AdminError) as refusal:
        parse_enrolment_lines(text)
    assert (refusal.value.code, refusal.value.line) == (code, line)


COHORT = {
    "name": " Bandung  I ",
    "place": "Balai Diklat",
    "province": "32",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-01",
}


def test_parse_cohort_cleans_and_accepts_a_one_day_training() -> None:
    form = parse_cohort(COHORT)
    assert form.name == "Bandung I" and form.trainer == ""
    assert form.starts_on == form.ends_on == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"place": "x"}, "place"),
        ({"province": ""}, "province"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"ends_on": "2026-11-30"}, "ends_on"),
    ],
)
def test_parse_cohort_refuses_with_the_field(change: dict[str, str], field: str) -> None:
    with pytest.raises(AdminError) as refusal:
        parse_cohort({**COHORT, **change})
    assert refusal.value.field == field


def test_participant_stage_follows_the_furthest_step() -> None:
    assert stage_of(False, None, "incomplete") == "invited"
    assert stage_of(True, None, "incomplete") == "registered"
    assert stage_of(True, "pending", "pending") == "submitted"
    assert stage_of(True, "rejected", "rejected") == "rejected"
    assert stage_of(True, "approved", "verified") == "verified"
    assert stage_of(True, "approved", "expired") == "submitted"


def test_parse_filter_drops_unknown_values_and_mismatched_city() -> None:
    chosen = parse_filter({"province": "32", "city": "34.71", "skill": "x", "status": "nope"})
    assert chosen.query_items() == {"province": "32"}
    assert parse_filter({"city": "34.71"}).province == "34"
    assert parse_filter({"status": "verified", "account": "suspended"}).query_items() == {
        "status": "verified",
        "account": "suspended",
    }
    assert parse_page("3") == 3 and parse_page("-2") == 1 and parse_page("x") == 1
