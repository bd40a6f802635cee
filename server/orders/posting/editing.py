"""What the designer reads and changes of their orders: lists, offers side by side, edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from server.accounts.tables import Role
from server.auth.sessions import CurrentUser
from server.clock import now
from server.db import transaction
from server.media.services import access_rule
from server.media.sweep import Usage, photo_usage
from server.media.tables import Photo
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.access import may_open
from server.orders.alerts import order_alert
from server.orders.offers.services import hold_open_order
from server.orders.posting.forms import OrderForm
from server.orders.posting.services import PHOTO_MAX
from server.orders.refusals import OrderError
from server.orders.tables import DispatchDecision, Offer, OfferStatus, Order, OrderDraft, OrderPhoto
from server.web import i18n
from server.web.forms import as_list
from server.web.i18n import gettext as _
from server.web.i18n import local_today

PHOTO_KIND = "order"


async def unused_photos(designer_id: int, public_ids: list[str]) -> list[dict[str, Any]]:
    """Reference photos this designer uploaded and no order uses yet, in the order given."""
    wanted = []
    for value in public_ids:
        try:
            wanted.append(UUID(str(value)))
        except ValueError:
            continue
    if not wanted:
        return []
    rows = await Photo.select().where(
        Photo.public_id.is_in(wanted)
        & (Photo.owner == designer_id)
        & (Photo.kind == PHOTO_KIND)
        & Photo.id.not_in(OrderPhoto.select(OrderPhoto.photo))
    )
    by_id = {row["public_id"]: row for row in rows}
    found = [by_id[key] for key in dict.fromkeys(wanted) if key in by_id]
    return found[:PHOTO_MAX]


TERMS = ("budget_per_piece", "quantity", "deadline", "sample_first")


async def edit_order(designer_id: int, public_id: UUID, form: OrderForm) -> None:
    """Change what tailors read, while the order is open: a new revision, so a tailor's "Ambil"
    on what they read before is refused. Those with live offers are told; when the terms
    changed, so is every tailor alerted about the order."""
    async with transaction():
        before = await hold_open_order(
            (Order.public_id == public_id) & (Order.designer == designer_id)
        )
        if before is None:
            raise OrderError("not_open")
        await Order.update(
            {
                Order.title: form.title,
                Order.description: form.description,
                Order.quantity: form.quantity,
                Order.sizes: json.dumps({**form.sizes, "custom": form.custom_sizes}),
                Order.budget_per_piece: form.budget_per_piece,
                Order.deadline: form.deadline,
                Order.revision: Order.revision + 1,
                Order.updated_at: now(),
            }
        ).where(Order.id == before["id"])
        after = {**before, "quantity": form.quantity, "deadline": form.deadline}
        after["budget_per_piece"] = form.budget_per_piece
        terms_changed = any(before[term] != after[term] for term in TERMS)
        told = await Offer.select(Offer.tailor).where(
            (Offer.order == before["id"]) & (Offer.status == OfferStatus.LIVE)
        )
        if terms_changed:
            told += await DispatchDecision.select(DispatchDecision.tailor).where(
                (DispatchDecision.order == before["id"]) & (DispatchDecision.outcome == "alerted")
            )
        alert = changed_alert({**after, "title": form.title}, terms_changed)
        for tailor in sorted({row["tailor"] for row in told}):
            await notify(tailor, AlertKind.OFFER, alert)


def changed_alert(order: dict[str, Any], terms_changed: bool) -> Callable[[], Alert]:
    def alert() -> Alert:
        if not terms_changed:
            body = _("The designer changed the order. Check that your offer still fits.")
        else:
            body = _(
                "New terms: %(quantity)s pcs × %(price)s, deadline %(date)s.",
                quantity=i18n.number(order["quantity"]),
                price=i18n.rupiah(order["budget_per_piece"]),
                date=i18n.format_date(order["deadline"]),
            )
        return order_alert(
            order["public_id"], _("Order changed: %(title)s", title=order["title"]), body
        )

    return alert


@access_rule(PHOTO_KIND)
async def order_photos_are_for_tailors(viewer: CurrentUser | None, photo: dict[str, Any]) -> bool:
    """Reference photos: the owner and admins (always), and tailors who may open the order."""
    if viewer is None or viewer.role != Role.TAILOR:
        return False
    orders = await Order.select().where(
        Order.id.is_in(OrderPhoto.select(OrderPhoto.order).where(OrderPhoto.photo == photo["id"]))
    )
    for order in orders:
        if await may_open(viewer.account_id, order, local_today()):
            return True
    return False


async def held_by_drafts(photos: list[dict[str, Any]]) -> set[int]:
    """Reference photos a saved draft still lists (kept until the draft goes)."""
    drafts = await OrderDraft.select(OrderDraft.data).where(
        OrderDraft.designer.is_in(sorted({photo["owner"] for photo in photos}))
    )
    listed: set[str] = set()
    for draft in drafts:
        data = json.loads(draft["data"]) if isinstance(draft["data"], str) else draft["data"]
        listed.update(str(value) for value in as_list(data.get("photo_ids")))
    return {photo["id"] for photo in photos if str(photo["public_id"]) in listed}


photo_usage(
    PHOTO_KIND,
    Usage(attached=lambda: OrderPhoto.select(OrderPhoto.photo), held=held_by_drafts),
)
