"""What each order refusal says, in the reader's language (designers and tailors alike)."""

from server.media.messages import image_messages
from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    messages = {
        # The order form
        "choose_category": _("Choose what kind of garment this is."),
        "title_length": _("Write a title of 3 to 120 characters."),
        "too_long": _("That text is too long."),
        "quantity_required": _("Write how many pieces, per size (1 to 100.000 in total)."),
        "not_a_number": _("Write a whole number."),
        "out_of_range": _("That number is outside the allowed range."),
        "choose_fabric": _("Choose who supplies the fabric."),
        "bad_date": _("Choose a date."),
        "deadline_too_soon": _("The deadline must be tomorrow or later."),
        "choose_city": _("Choose the province and city where the order is picked up."),
        "choose_mode": _("Choose Penawaran or Langsung."),
        "too_many_photos": _("Up to 4 reference photos. Remove one first."),
        "reason_required": _("Write the reason the tailors will read (at least 5 characters)."),
        **image_messages(),
        # Offers and assignment
        "not_open": _("This order is no longer open: it was taken, cancelled or expired."),
        "offer_gone": _("That offer is no longer available."),
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
    }
    return messages.get(code, _("Something went wrong. Please try again."))
