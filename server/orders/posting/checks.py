"""The designer's order form: every field's problem at once, and edits checked like a new order."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from server.orders.offers.feed import sizes_of
from server.orders.posting.forms import SIZES, OrderForm, parse_order
from server.orders.refusals import OrderError

SIZE_FIELDS = tuple(f"size_{size}" for size in SIZES)
EDITABLE = ("title", "description", "budget_per_piece", "deadline", "custom_sizes", *SIZE_FIELDS)


def stand_in(field: str, today: date) -> dict[str, str]:
    """A valid value for a field that failed, so the fields after it get checked too."""
    if field in ("sizes", *SIZE_FIELDS):
        return {**dict.fromkeys(SIZE_FIELDS, ""), "size_S": "1"}
    return {
        "category": {"category": "kemeja"},
        "title": {"title": "stand-in"},
        "description": {"description": ""},
        "fabric_by": {"fabric_by": "designer"},
        "budget_per_piece": {"budget_per_piece": "10000"},
        "deadline": {"deadline": (today + timedelta(days=30)).isoformat()},
        "city": {"city": "31.71"},
        "mode": {"mode": "bidding"},
    }.get(field, {})


def check_order(data: dict[str, Any], today: date) -> tuple[OrderForm | None, dict[str, str]]:
    """The parsed form, or the error code of each field that is wrong (field -> code)."""
    errors: dict[str, str] = {}
    trial = dict(data)
    while True:
        try:
            form = parse_order(trial, today)
        except OrderError as error:
            field = error.field or "form"
            replacement = stand_in(field, today)
            if field in errors or not replacement:
                errors.setdefault(field, error.code)
                return None, errors
            errors[field] = error.code
            trial.update(replacement)
            continue
        return (None, errors) if errors else (form, {})


def order_as_form(order: dict[str, Any]) -> dict[str, str]:
    """An order's values as the form holds them (for editing)."""
    sizes = sizes_of(order)
    values = {
        "category": order["category"],
        "title": order["title"],
        "description": order["description"],
        "custom_sizes": str(sizes.get("custom", "")),
        "fabric_by": order["fabric_by"],
        "budget_per_piece": str(order["budget_per_piece"]),
        "deadline": order["deadline"].isoformat(),
        "sample_first": "1" if order["sample_first"] else "",
        "city": order["city_code"],
        "mode": order["mode"],
    }
    for size in SIZES:
        values[f"size_{size}"] = str(sizes.get(size) or "")
    return values


def edited(order: dict[str, Any], submitted: dict[str, Any]) -> dict[str, str]:
    """What the order would be after the edit: only the editable fields change."""
    values = order_as_form(order)
    for field in EDITABLE:
        values[field] = str(submitted.get(field, ""))
    return values


def order_total(data: dict[str, Any]) -> tuple[int, int]:
    """Pieces and quantity × budget of what was typed; (0, 0) while it cannot be read."""
    try:
        pieces = sum(int(str(data.get(field) or "0").strip() or "0") for field in SIZE_FIELDS)
        price = int(str(data.get("budget_per_piece") or "0").replace(".", "").replace(",", ""))
    except ValueError:
        return 0, 0
    if pieces <= 0 or price <= 0:
        return 0, 0
    return pieces, pieces * price
