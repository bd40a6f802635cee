"""The order form: what a designer typed, checked into plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from server import regions
from server.garments import CATEGORIES
from server.orders.refusals import OrderError
from server.orders.tables import OrderMode
from server.text import typed_text

SIZES = ("S", "M", "L", "XL", "XXL", "ALL")
QUANTITY_RANGE = (1, 100_000)
# The business limits of one order, shown in the refusals (orders.refusals).
PRICE_RANGE = (1_000, 100_000_000)  # Rupiah per piece
ORDER_TOTAL_MAX = 10_000_000_000  # Rp10 miliar: pieces × price per piece
DATE_WINDOW_DAYS = 365  # deadlines and ready-by dates: from today to a year ahead
TITLE_RANGE = (3, 120)
DESCRIPTION_MAX = 2000
MIN_LEAD_DAYS = 1


@dataclass(frozen=True)
class OrderForm:
    category: str
    title: str
    description: str
    sizes: dict[str, int]
    custom_sizes: str
    fabric_by: str
    budget_per_piece: int
    deadline: date
    sample_first: bool
    city_code: str
    mode: str

    @property
    def quantity(self) -> int:
        return sum(self.sizes.values())


def seen(data: dict[str, Any], field: str) -> int:
    """The revision or version a form says its sender read; a form that does not say agrees
    to nothing (-1 matches no row), so its sender is shown the terms first."""
    try:
        value = int(str(data.get(field, "")))
    except ValueError:
        return -1
    return value if 0 <= value < 2**31 else -1


def whole_number(raw: Any, field: str, low: int, high: int, *, blank_is_zero: bool = False) -> int:
    text = str(raw if raw is not None else "").strip().replace(".", "").replace(",", "")
    if not text and blank_is_zero:
        return 0
    try:
        value = int(text)
    except ValueError:
        raise OrderError("not_a_number", field) from None
    if not low <= value <= high:
        raise OrderError("out_of_range", field)
    return value


def price_per_piece(raw: Any, field: str) -> int:
    try:
        return whole_number(raw, field, *PRICE_RANGE)
    except OrderError as error:
        code = "price_range" if error.code == "out_of_range" else error.code
        raise OrderError(code, field) from None


def check_total(pieces: int, price: int, field: str) -> None:
    if pieces * price > ORDER_TOTAL_MAX:
        raise OrderError("total_too_large", field)


def latest_date(today: date) -> date:
    """The furthest deadline or ready-by date a form accepts."""
    return today + timedelta(days=DATE_WINDOW_DAYS)


def form_date(raw: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(raw if raw is not None else ""))
    except ValueError:
        raise OrderError("bad_date", field) from None


def parse_order(data: dict[str, Any], today: date) -> OrderForm:
    """Everything checked, in the order the form shows it; the first problem is reported."""
    category = str(data.get("category", ""))
    if category not in CATEGORIES:
        raise OrderError("choose_category", "category")
    title = " ".join(typed_text(data.get("title")).split())
    if not TITLE_RANGE[0] <= len(title) <= TITLE_RANGE[1]:
        raise OrderError("title_length", "title")
    description = typed_text(data.get("description"))
    if len(description) > DESCRIPTION_MAX:
        raise OrderError("too_long", "description")
    sizes = {
        size: whole_number(
            data.get(f"size_{size}"), f"size_{size}", 0, QUANTITY_RANGE[1], blank_is_zero=True
        )
        for size in SIZES
    }
    sizes = {size: count for size, count in sizes.items() if count}
    if not QUANTITY_RANGE[0] <= sum(sizes.values()) <= QUANTITY_RANGE[1]:
        raise OrderError("quantity_required", "sizes")
    fabric_by = str(data.get("fabric_by", ""))
    if fabric_by not in ("designer", "tailor"):
        raise OrderError("choose_fabric", "fabric_by")
    budget = price_per_piece(data.get("budget_per_piece"), "budget_per_piece")
    check_total(sum(sizes.values()), budget, "budget_per_piece")
    deadline = form_date(data.get("deadline"), "deadline")
    if deadline < today + timedelta(days=MIN_LEAD_DAYS):
        raise OrderError("deadline_too_soon", "deadline")
    if deadline > latest_date(today):
        raise OrderError("deadline_too_far", "deadline")
    city = regions.city(str(data.get("city", "")))
    if city is None:
        raise OrderError("choose_city", "city")
    mode = str(data.get("mode", ""))
    if mode not in list(OrderMode):
        raise OrderError("choose_mode", "mode")
    return OrderForm(
        category=category,
        title=title,
        description=description,
        sizes=sizes,
        custom_sizes=typed_text(data.get("custom_sizes"))[:200],
        fabric_by=fabric_by,
        budget_per_piece=budget,
        deadline=deadline,
        sample_first=str(data.get("sample_first", "")) in ("on", "1", "true"),
        city_code=city.code,
        mode=mode,
    )
