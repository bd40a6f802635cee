"""What a saved draft may hold: the order form's own fields, each no longer than the form
allows. Anything else a request carries is dropped, so a draft cannot grow without bound."""

from __future__ import annotations

from typing import Any

from server.orders.posting.forms import DESCRIPTION_MAX, SIZES, TITLE_RANGE

SHORT = 40  # a choice, a number or a date as typed
PHOTO_IDS_MAX = 4  # services.PHOTO_MAX, which imports this module
PHOTO_ID_LENGTH = 36  # a UUID as text
DRAFT_FIELDS: dict[str, int] = {
    "category": SHORT,
    "title": TITLE_RANGE[1],
    "description": DESCRIPTION_MAX,
    "custom_sizes": 200,
    "fabric_by": SHORT,
    "budget_per_piece": SHORT,
    "deadline": SHORT,
    "sample_first": SHORT,
    "province": SHORT,
    "city": SHORT,
    "mode": SHORT,
    **{f"size_{size}": SHORT for size in SIZES},
}


def draft_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The known fields of bounded size; unknown or oversized ones are left out (the form's
    own limits keep a browser's input within these)."""
    kept: dict[str, Any] = {
        key: value
        for key, value in data.items()
        if key in DRAFT_FIELDS and isinstance(value, str) and len(value) <= DRAFT_FIELDS[key]
    }
    photo_ids = data.get("photo_ids")
    if isinstance(photo_ids, list):
        kept["photo_ids"] = [
            str(value) for value in photo_ids if len(str(value)) <= PHOTO_ID_LENGTH
        ][:PHOTO_IDS_MAX]
    return kept
