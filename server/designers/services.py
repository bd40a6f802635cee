"""Designer, brand and industry buyer profiles. Framework-free."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server import regions
from server.auth.sessions import CurrentUser
from server.designers.refusals import BusinessProfileError
from server.designers.tables import BusinessType, DesignerProfile
from server.media.services import access_rule
from server.media.sweep import Usage, photo_usage
from server.text import typed_text

NAME_RANGE = (2, 120)
DESCRIPTION_MAX = 600


async def profile_of(account_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await DesignerProfile.select().where(DesignerProfile.account == account_id).first()
    )
    if row is None:
        # Two first requests at once: one inserts, the other finds its row (no 500).
        await DesignerProfile.insert(DesignerProfile(account=account_id)).on_conflict(
            action="DO NOTHING"
        )
        row = await DesignerProfile.select().where(DesignerProfile.account == account_id).first()
    assert row is not None
    return row


# Read on every visit to the designer's home: the statement written once.
HOME_STEPS = f"""
SELECT business_name FROM "{DesignerProfile._meta.tablename}" WHERE account = {{}}
"""  # noqa: S608 (the table's name)


async def home_steps(account_id: int) -> dict[str, bool]:
    """The designer's own first steps on the home screen, and which of them are done (the
    home adds "post an order", which the order domain knows)."""
    rows = await DesignerProfile.raw(HOME_STEPS, account_id)
    return {
        "profile": bool(rows and rows[0]["business_name"]),
    }


async def save_profile(account_id: int, fields: dict[str, str], logo_id: int | None) -> None:
    name = " ".join(typed_text(fields.get("business_name", "")).split())
    if not NAME_RANGE[0] <= len(name) <= NAME_RANGE[1]:
        raise BusinessProfileError("required", "business_name")
    kind = fields.get("business_type", "")
    if kind not in list(BusinessType):
        raise BusinessProfileError("unknown_choice", "business_type")
    city = regions.city(fields.get("city", ""))
    if city is None:
        raise BusinessProfileError("choose_city", "city")
    description = typed_text(fields.get("description", ""))
    if len(description) > DESCRIPTION_MAX:
        raise BusinessProfileError("too_long", "description")
    profile = await profile_of(account_id)
    changes: dict[Any, Any] = {
        DesignerProfile.business_name: name,
        DesignerProfile.business_type: kind,
        DesignerProfile.province_code: city.province_code,
        DesignerProfile.city_code: city.code,
        DesignerProfile.description: description,
        DesignerProfile.updated_at: datetime.now(UTC),
    }
    if logo_id is not None:
        changes[DesignerProfile.logo] = logo_id
    await DesignerProfile.update(changes).where(DesignerProfile.id == profile["id"])


@access_rule("logo")
async def logos_are_public(viewer: CurrentUser | None, photo_id: int) -> bool:
    return True


photo_usage(
    "logo",
    Usage(
        attached=lambda: DesignerProfile.select(DesignerProfile.logo).where(
            DesignerProfile.logo.is_not_null()
        )
    ),
)
