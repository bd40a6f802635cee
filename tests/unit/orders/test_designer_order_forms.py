import dataclasses
from datetime import date, timedelta
from uuid import uuid4

from server.orders.offers.comparison import OfferRow, sort_offers
from server.orders.posting.checks import check_order, edited, order_total
from server.orders.records import OrderRecord

TODAY = date(2026, 12, 1)
FORM = {
    "category": "kemeja",
    "title": "Kemeja batik",
    "size_M": "30",
    "size_L": "20",
    "fabric_by": "tailor",
    "budget_per_piece": "45.000",
    "deadline": "2026-12-20",
    "city": "32.73",
    "mode": "direct",
}


def test_a_good_form_has_no_errors() -> None:
    form, errors = check_order(FORM, TODAY)
    assert errors == {}
    assert form is not None
    assert (form.quantity, form.budget_per_piece, form.mode) == (50, 45_000, "direct")


def test_every_bad_field_is_reported_not_only_the_first() -> None:
    bad = {**FORM, "category": "", "size_M": "x", "deadline": "2026-12-01", "mode": ""}
    form, errors = check_order(bad, TODAY)
    assert form is None
    assert errors == {
        "category": "choose_category",
        "size_M": "not_a_number",
        "deadline": "deadline_too_soon",
        "mode": "choose_mode",
    }


def test_an_edit_changes_only_what_may_change() -> None:
    row: dict[str, object] = {field.name: None for field in dataclasses.fields(OrderRecord)}
    row |= {
        "category": "kemeja",
        "title": "Lama",
        "description": "",
        "sizes": '{"M": 10, "custom": ""}',
        "fabric_by": "designer",
        "budget_per_piece": 40_000,
        "deadline": TODAY + timedelta(days=10),
        "sample_first": True,
        "city_code": "32.73",
        "mode": "bidding",
    }
    order = OrderRecord.from_row(row)
    values = edited(order, {**FORM, "title": "Baru", "category": "kebaya", "city": "31.71"})
    assert (values["title"], values["size_M"], values["budget_per_piece"]) == (
        "Baru",
        "30",
        "45.000",
    )
    assert (values["category"], values["city"], values["mode"]) == ("kemeja", "32.73", "bidding")
    assert values["sample_first"] == "1"


def test_total_is_pieces_times_budget_or_nothing_while_unreadable() -> None:
    assert order_total(FORM) == (50, 2_250_000)
    assert order_total({**FORM, "budget_per_piece": "abc"}) == (0, 0)
    assert order_total({"size_S": "", "budget_per_piece": "1000"}) == (0, 0)


def row(name: str, price: int, days: int, km: float | None, rating: float | None) -> OfferRow:
    return OfferRow(
        public_id=uuid4(),
        tailor_name=name,
        tailor_public_id=uuid4(),
        price_per_piece=price,
        total=price * 10,
        ready_by=TODAY + timedelta(days=days),
        note="",
        distance_km=km,
        rating=rating,
        rating_count=1 if rating else 0,
        completed_orders=0,
        certified=True,
        version=1,
        previous_price_per_piece=None,
        previous_ready_by=None,
    )


def test_offers_sort_with_unknowns_last() -> None:
    rows = [
        row("A", 50_000, 5, None, 4.0),
        row("B", 40_000, 9, 3.0, None),
        row("C", 45_000, 7, 1.0, 4.9),
    ]

    def names(sort: str) -> list[str]:
        return [offer.tailor_name for offer in sort_offers(rows, sort)]

    assert names("price") == ["B", "C", "A"]
    assert names("distance") == ["C", "B", "A"]
    assert names("rating") == ["C", "A", "B"]
    assert names("ready") == ["A", "C", "B"]
    assert names("bogus") == names("price")
