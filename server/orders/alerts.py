"""What tailors and designers are told about offers and orders, in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from server.notifications.services import Alert
from server.web import i18n
from server.web.i18n import gettext as _

if TYPE_CHECKING:
    from server.orders.offers.services import OfferForm
    from server.orders.records import OrderRecord


def order_alert(public_id: UUID, title: str, body: str, url: str = "") -> Alert:
    """An alert about one order: it opens the order (or `url`), and the next alert about the
    same order replaces it on the phone (one tag per order)."""
    return Alert(
        title=title, body=body, url=url or f"/orders/{public_id}", tag=f"order-{public_id}"[:64]
    )


def new_offer_alert(order: OrderRecord, form: OfferForm) -> Callable[[], Alert]:
    return lambda: Alert(
        title=_("New offer for %(title)s", title=order.title),
        body=_(
            "%(price)s per piece, ready by %(date)s",
            price=i18n.rupiah(form.price_per_piece),
            date=i18n.format_date(form.ready_by),
        ),
        url=f"/orders/{order.public_id}",
        tag=f"offers-{order.public_id}"[:64],
    )


def accepted_alert(title: str, public_id: UUID) -> Callable[[], Alert]:
    return lambda: order_alert(
        public_id,
        _("Your offer was accepted: %(title)s", title=title),
        _("The order is yours. Open it to start."),
    )


def declined_alert(title: str, public_id: UUID) -> Callable[[], Alert]:
    return lambda: order_alert(
        public_id,
        _("Another tailor got %(title)s", title=title),
        _("Your offer was not chosen this time."),
    )


def taken_alert(title: str, public_id: UUID) -> Callable[[], Alert]:
    return lambda: order_alert(
        public_id,
        _("A tailor took %(title)s", title=title),
        _("Open the order to see who and follow production."),
    )


def cancelled_alert(title: str, public_id: UUID) -> Callable[[], Alert]:
    return lambda: order_alert(
        public_id,
        _("Order cancelled: %(title)s", title=title),
        _("The designer cancelled this order; your offer is closed."),
    )


def withdrawn_alert(title: str, public_id: UUID) -> Callable[[], Alert]:
    return lambda: order_alert(
        public_id,
        _("Order withdrawn: %(title)s", title=title),
        _("This order was taken off Clothing Line. Nothing more is needed from you."),
        url="/jobs",
    )
