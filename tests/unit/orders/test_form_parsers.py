"""Property-based tests of every order, offer, stage and payment form parser: whatever a form
(or a hand-made POST) sends, the parser gives a value within the rules or a refusal that has
its own translated message. Never an exception, never a value the database would refuse."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from server.orders.cancellations.services import clean_reason
from server.orders.offers.routes import whole
from server.orders.offers.services import parse_offer
from server.orders.parties import TrackingError, clean_note
from server.orders.payments.services import PERCENT_RANGE, parse_percent, payment_kind
from server.orders.posting.checks import SIZE_FIELDS, check_order, edited, order_total
from server.orders.posting.forms import (
    DATE_WINDOW_DAYS,
    ORDER_TOTAL_MAX,
    PRICE_RANGE,
    QUANTITY_RANGE,
    OrderError,
    parse_order,
)
from server.orders.production.services import clean_shipping
from server.orders.production.stages import SAMPLE_REJECTED, Stage, StageError, check_move
from server.orders.records import OrderRecord
from server.orders.reviews.services import clean_comment, clean_stars
from server.orders.thread.services import clean_body
from server.web import i18n
from server.web.refusals import Refused

TODAY = date(2026, 12, 1)
LATEST = TODAY + timedelta(days=DATE_WINDOW_DAYS)

# What people (and scripts) really send: blanks, NUL, signs, superscripts, decimals, other
# scripts' digits, impossible and far-off dates, and very long values.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "12\x0034",
        "-1",
        "-0",
        "0",
        "²",
        "1e9",
        "1.5",
        "3,5",
        "NaN",
        "inf",
        "1_000",
        "١٢٣",
        "🧵",
        "\u200b",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "2026-W49-2",
        "20261215",
        "9" * 5000,
        "1" * 19,
        "x" * 100_000,
    ]
)


def anything(*valid: str) -> st.SearchStrategy[str]:
    """A field's value: sometimes one that passes, so the parser gets past it to the next."""
    return st.one_of(
        st.sampled_from(valid) if valid else st.nothing(),
        NASTY,
        st.text(max_size=40),
        st.integers().map(str),
        st.floats().map(str),
        st.dates().map(date.isoformat),
    )


ORDER_FIELDS = {
    "category": anything("kemeja", "kebaya"),
    "title": anything("Kemeja batik seragam"),
    "description": anything("Katun, lengan panjang."),
    **{field: anything("10", "1.000", "") for field in SIZE_FIELDS},
    "custom_sizes": anything("2 potong ukuran khusus"),
    "fabric_by": anything("designer", "tailor"),
    "budget_per_piece": anything("45.000", "500000", "100.000.000"),
    "deadline": anything("2026-12-20", LATEST.isoformat()),
    "sample_first": anything("1", "on"),
    "city": anything("32.73", "31.71"),
    "mode": anything("bidding", "direct"),
}
order_forms = st.fixed_dictionaries({}, optional=ORDER_FIELDS)
OFFER_FIELDS = {
    "price_per_piece": anything("60.000", "100000000"),
    "ready_by": anything("2026-12-10", LATEST.isoformat()),
    "note": anything("Bisa lebih cepat."),
}
orders_on_offer = st.fixed_dictionaries(
    {
        "deadline": st.one_of(st.dates(), st.just(date.max), st.just(TODAY)),
        "quantity": st.integers(min_value=QUANTITY_RANGE[0], max_value=QUANTITY_RANGE[1]),
    }
)


def has_its_own_message(kind: type[Refused], code: str) -> bool:
    """Every refusal has its message, in Indonesian: declared, and translated."""
    if code not in kind.refusals:
        return False
    with i18n.using_locale("en"):
        english = kind(code).message
    with i18n.using_locale("id"):
        return kind(code).message != english


def storable(text: str) -> bool:
    """PostgreSQL refuses NUL in text: a value with one would fail at the INSERT."""
    return "\x00" not in text


GOOD_ORDER = {
    "category": "kemeja",
    "title": "Kemeja batik",
    "size_M": "10.000",
    "fabric_by": "designer",
    "budget_per_piece": "500.000",
    "deadline": "2026-12-20",
    "city": "32.73",
    "mode": "direct",
}


@given(order_forms)
@example({**GOOD_ORDER, "title": "Kemeja\x00 batik", "description": "\x00", "custom_sizes": "\x00"})
@example({**GOOD_ORDER, "budget_per_piece": "1.000.001"})  # Rp10.000.010.000 in all
@example({**GOOD_ORDER, "deadline": (LATEST + timedelta(days=1)).isoformat()})
def test_order_form_gives_an_order_within_the_limits_or_a_refusal(data: dict[str, str]) -> None:
    try:
        form = parse_order(data, TODAY)
    except OrderError as error:
        assert has_its_own_message(OrderError, error.code), error.code
        return
    assert QUANTITY_RANGE[0] <= form.quantity <= QUANTITY_RANGE[1]
    assert PRICE_RANGE[0] <= form.budget_per_piece <= PRICE_RANGE[1]
    assert form.quantity * form.budget_per_piece <= ORDER_TOTAL_MAX
    assert TODAY < form.deadline <= LATEST
    assert all(storable(text) for text in (form.title, form.description, form.custom_sizes))


@given(order_forms)
def test_designer_form_reports_each_field_with_a_message(data: dict[str, str]) -> None:
    form, errors = check_order(data, TODAY)
    assert (form is None) == bool(errors)
    assert all(has_its_own_message(OrderError, code) for code in errors.values()), errors
    pieces, total = order_total(data)
    assert pieces >= 0 and total >= 0


def order_record(**values: Any) -> OrderRecord:
    """An order with these columns (the others empty), as services receive one."""
    row: dict[str, Any] = {field.name: None for field in dataclasses.fields(OrderRecord)}
    return OrderRecord.from_row({**row, **values})


@given(st.fixed_dictionaries({}, optional={key: ORDER_FIELDS[key] for key in ORDER_FIELDS}))
def test_order_edit_is_checked_like_a_new_order(submitted: dict[str, str]) -> None:
    order = order_record(
        **{
            "category": "kemeja",
            "title": "Kemeja batik",
            "description": "",
            "sizes": '{"M": 10, "custom": ""}',
            "fabric_by": "designer",
            "budget_per_piece": 40_000,
            "deadline": date(9999, 12, 31),  # an old row, from before dates were bounded
            "sample_first": False,
            "city_code": "32.73",
            "mode": "bidding",
        }
    )
    form, errors = check_order(edited(order, submitted), TODAY)
    assert all(has_its_own_message(OrderError, code) for code in errors.values()), errors
    assert form is None or TODAY < form.deadline <= LATEST


@given(st.fixed_dictionaries({}, optional=OFFER_FIELDS), orders_on_offer)
@example(
    {"price_per_piece": "60.000", "ready_by": "2026-12-10", "note": "\x00"},
    {"deadline": date.max, "quantity": 10},
)
@example(
    {"price_per_piece": "60.000", "ready_by": (LATEST + timedelta(days=1)).isoformat()},
    {"deadline": date.max, "quantity": 10},
)
def test_offer_form_gives_an_offer_within_the_limits_or_a_refusal(
    data: dict[str, str], order: dict[str, Any]
) -> None:
    try:
        offer = parse_offer(data, order_record(**order), TODAY)
    except OrderError as error:
        assert has_its_own_message(OrderError, error.code), error.code
        return
    assert PRICE_RANGE[0] <= offer.price_per_piece <= PRICE_RANGE[1]
    assert offer.price_per_piece * order["quantity"] <= ORDER_TOTAL_MAX
    assert TODAY <= offer.ready_by <= min(order["deadline"], LATEST)
    assert storable(offer.note)


@given(anything(*Stage, SAMPLE_REJECTED), anything(*Stage), st.sampled_from(["tailor", "designer"]))
def test_stage_moves_are_a_stage_or_a_refusal(current: str, target: str, actor: str) -> None:
    for sample_first in (False, True):
        try:
            stage = check_move(
                current,
                target,
                actor=actor,
                sample_first=sample_first,
                down_payment_confirmed=sample_first,
            )
        except StageError as error:
            assert has_its_own_message(TrackingError, error.code), error.code
            continue
        assert stage in Stage


def tracking_value(parse: Any, *args: str) -> Any:
    """The parser's value, or None after checking its refusal has a message."""
    try:
        return parse(*args)
    except TrackingError as error:
        assert has_its_own_message(TrackingError, error.code), error.code
        return None


@given(anything("50", "10", "100"))
def test_down_payment_share_is_a_percentage_in_range_or_a_refusal(percent: str) -> None:
    value = tracking_value(parse_percent, percent)
    assert value is None or PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]


@given(anything("dp", "final"))
def test_payment_kind_is_known_or_not_found(kind: str) -> None:
    assert tracking_value(payment_kind, kind) in (None, "dp", "final")


@given(anything("1", "5"))
def test_stars_are_one_to_five_or_a_refusal(stars: str) -> None:
    assert tracking_value(clean_stars, stars) in (None, 1, 2, 3, 4, 5)


@given(anything("JNE"), anything("JNE123456789"))
def test_shipping_details_are_storable_or_a_refusal(courier: str, number: str) -> None:
    found = tracking_value(clean_shipping, courier, number)
    assert found is None or all(value and storable(value) for value in found)


@given(anything("Foto kain sudah dipotong.", "Jahitan kurang rapi"))
def test_notes_reasons_messages_and_comments_are_storable_or_a_refusal(text: str) -> None:
    for parse in (clean_note, clean_reason, clean_body, clean_comment):
        value = tracking_value(parse, text)
        assert value is None or storable(value), parse.__name__


@given(anything("10", "50"))
def test_feed_filters_are_a_number_in_range_or_ignored(raw: str) -> None:
    value = whole(raw, 1, 50)
    assert value is None or 1 <= value <= 50
