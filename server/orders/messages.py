"""What each order refusal says, in the reader's language (designers and tailors alike)."""

from server.media.messages import image_messages
from server.orders.posting.forms import ORDER_TOTAL_MAX, PRICE_RANGE, latest_date
from server.web import i18n
from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    latest = i18n.format_date(latest_date(i18n.local_today()), "d MMMM y")
    messages = {
        # The order form
        "choose_category": _("Choose what kind of garment this is."),
        "title_length": _("Write a title of 3 to 120 characters."),
        "too_long": _("That text is too long."),
        "quantity_required": _("Write how many pieces, per size (1 to 100.000 in total)."),
        "not_a_number": _("Write a whole number."),
        "out_of_range": _("That number is outside the allowed range."),
        "price_range": _(
            "Write a price per piece from %(low)s to %(high)s.",
            low=i18n.rupiah(PRICE_RANGE[0]),
            high=i18n.rupiah(PRICE_RANGE[1]),
        ),
        "total_too_large": _(
            "One order can total at most %(limit)s (pieces × price per piece). "
            "Split it into several orders.",
            limit=i18n.rupiah(ORDER_TOTAL_MAX),
        ),
        "choose_fabric": _("Choose who supplies the fabric."),
        "bad_date": _("Choose a date."),
        "deadline_too_soon": _("The deadline must be tomorrow or later."),
        "deadline_too_far": _(
            "The deadline can be at most a year ahead: %(date)s at the latest.", date=latest
        ),
        "choose_city": _("Choose the province and city where the order is picked up."),
        "choose_mode": _("Choose Penawaran or Langsung."),
        "too_many_photos": _("Up to 4 reference photos. Remove one first."),
        "reason_required": _("Write the reason the tailors will read (at least 5 characters)."),
        **image_messages(),
        # Offers and assignment
        "not_open": _("This order is no longer open: it was taken, cancelled or expired."),
        "offer_gone": _("That offer is no longer available."),
        "offer_changed": _(
            "This offer changed after you read it. Read it again before you accept."
        ),
        "terms_changed": _(
            "The designer changed this order after you read it. These are the terms now: "
            "take it only if they suit you."
        ),
        "not_found": _("This order does not exist."),
        "not_verified": _("Your SKKNI certificate must be verified before you can take orders."),
        "switched_off": _('Switch on "Ready for orders" first.'),
        # The dispatch rules, when a tailor answers an order that is not for them
        "suspended": _("Your account is suspended: you cannot answer orders."),
        "not_located": _("Set where you work first, so we know which orders are near you."),
        "no_skill": _("This garment is not among your skills."),
        "beyond_order_radius": _(
            "This order has not reached your distance: it goes to tailors nearer to it first."
        ),
        "beyond_tailor_radius": _("This order is beyond your service radius."),
        "minimum_order": _("This order is below your minimum order."),
        "no_capacity": _("Your weekly capacity is full before this order's deadline."),
        "taken": _("Another tailor already took this order."),
        "direct_mode": _("This is a Langsung order: take it at the posted price."),
        "bidding_mode": _("This is a Penawaran order: send an offer instead."),
        "ready_in_past": _("The ready-by date cannot be in the past."),
        "after_deadline": _("The ready-by date must be on or before the deadline."),
        "ready_too_far": _(
            "The ready-by date can be at most a year ahead: %(date)s at the latest.", date=latest
        ),
    }
    return messages.get(code, _("Something went wrong. Please try again."))
