"""What an order refusal is, for designers and tailors alike: its code, its HTTP status and
what it says. Posting, offers and assignment refuse with OrderError (a tailor the dispatch
rules keep out, with Ineligible); production, payments, the thread, ratings and cancellations
with TrackingError (a stage move, with StageError)."""

from __future__ import annotations

from server.media.refusals import IMAGE_REFUSALS
from server.web import i18n
from server.web.refusals import N_, Refusal, Refusals, Refused


# The order form's limits, as the reader writes money and dates today. Imported when read:
# the form's module raises OrderError, so it imports this one.
def latest() -> dict[str, str]:
    from server.orders.posting.forms import latest_date

    return {"date": i18n.format_date(latest_date(i18n.local_today()), "d MMMM y")}


def price_range() -> dict[str, str]:
    from server.orders.posting.forms import PRICE_RANGE

    return {"low": i18n.rupiah(PRICE_RANGE[0]), "high": i18n.rupiah(PRICE_RANGE[1])}


def total_limit() -> dict[str, str]:
    from server.orders.posting.forms import ORDER_TOTAL_MAX

    return {"limit": i18n.rupiah(ORDER_TOTAL_MAX)}


# A field typed wrong is a 400; the order's state or another's move refusing it, a 409; a
# tailor the dispatch rules keep out, a 403.
ORDER_REFUSALS = Refusals(
    # The order form
    Refusal("choose_category", 400, N_("Choose what kind of garment this is.")),
    Refusal("title_length", 400, N_("Write a title of 3 to 120 characters.")),
    Refusal("too_long", 400, N_("That text is too long.")),
    Refusal(
        "quantity_required",
        400,
        N_("Write how many pieces, per size (1 to 100.000 in total)."),
    ),
    Refusal("not_a_number", 400, N_("Write a whole number.")),
    Refusal("out_of_range", 400, N_("That number is outside the allowed range.")),
    Refusal(
        "price_range",
        400,
        N_("Write a price per piece from %(low)s to %(high)s."),
        params=price_range,
    ),
    Refusal(
        "total_too_large",
        400,
        N_(
            "One order can total at most %(limit)s (pieces × price per piece). "
            "Split it into several orders."
        ),
        params=total_limit,
    ),
    Refusal("choose_fabric", 400, N_("Choose who supplies the fabric.")),
    Refusal("bad_date", 400, N_("Choose a date.")),
    Refusal("deadline_too_soon", 400, N_("The deadline must be tomorrow or later.")),
    Refusal(
        "deadline_too_far",
        400,
        N_("The deadline can be at most a year ahead: %(date)s at the latest."),
        params=latest,
    ),
    Refusal(
        "choose_city",
        400,
        N_("Choose the province and city where the order is picked up."),
    ),
    Refusal("choose_mode", 400, N_("Choose Penawaran or Langsung.")),
    Refusal("too_many_photos", 400, N_("Up to 4 reference photos. Remove one first.")),
    Refusal(
        "reason_required",
        400,
        N_("Write the reason the tailors will read (at least 5 characters)."),
    ),
    # Offers and assignment
    Refusal(
        "not_open",
        409,
        N_("This order is no longer open: it was taken, cancelled or expired."),
    ),
    Refusal("offer_gone", 409, N_("That offer is no longer available.")),
    Refusal(
        "offer_accepted",
        409,
        N_("The designer already accepted your offer: this order is yours. Nothing was changed."),
    ),
    Refusal(
        "changed_since_read",
        409,
        N_(
            "The designer changed this order after you wrote your offer. Read it again and "
            "send your offer anew."
        ),
    ),
    Refusal(
        "offer_changed",
        409,
        N_("This offer changed after you read it. Read it again before you accept."),
    ),
    Refusal(
        "terms_changed",
        409,
        N_(
            "The designer changed this order after you read it. These are the terms now: "
            "take it only if they suit you."
        ),
    ),
    Refusal("not_found", 404, N_("This order does not exist.")),
    Refusal("taken", 409, N_("Another tailor already took this order.")),
    Refusal("direct_mode", 409, N_("This is a Langsung order: take it at the posted price.")),
    Refusal("bidding_mode", 409, N_("This is a Penawaran order: send an offer instead.")),
    Refusal("ready_in_past", 400, N_("The ready-by date cannot be in the past.")),
    Refusal("after_deadline", 400, N_("The ready-by date must be on or before the deadline.")),
    Refusal(
        "ready_too_far",
        400,
        N_("The ready-by date can be at most a year ahead: %(date)s at the latest."),
        params=latest,
    ),
    # The dispatch rules, when a tailor answers an order that is not for them
    Refusal(
        "not_verified",
        403,
        N_("Your SKKNI certificate must be verified before you can take orders."),
    ),
    Refusal("switched_off", 403, N_('Switch on "Ready for orders" first.')),
    Refusal("suspended", 403, N_("Your account is suspended: you cannot answer orders.")),
    Refusal(
        "not_located",
        403,
        N_("Set where you work first, so we know which orders are near you."),
    ),
    Refusal("no_skill", 403, N_("This garment is not among your skills.")),
    Refusal(
        "beyond_order_radius",
        403,
        N_("This order has not reached your distance: it goes to tailors nearer to it first."),
    ),
    Refusal("beyond_tailor_radius", 403, N_("This order is beyond your service radius.")),
    Refusal("minimum_order", 403, N_("This order is below your minimum order.")),
    Refusal("no_capacity", 403, N_("Your weekly capacity is full before this order's deadline.")),
)

# Someone else's move is a 403, gone a 404, the wrong moment a 409; what was typed, a 422.
PRODUCTION_REFUSALS = Refusals(
    Refusal("not_found", 404, N_("This order does not exist.")),
    Refusal(
        "not_in_production",
        409,
        N_("This order is not in production: it is finished or cancelled."),
    ),
    Refusal(
        "order_cancelled",
        409,
        N_("This order was cancelled meanwhile: nothing more is done on it. Nothing was sent."),
    ),
    Refusal("unknown_stage", 422, N_("Choose a stage from the list.")),
    Refusal("no_sample", 422, N_("This order has no sample stage.")),
    Refusal(
        "sample_first",
        409,
        N_("The designer must approve the sample before the materials stage."),
    ),
    Refusal("wrong_stage", 409, N_("That is not the next stage of this order.")),
    Refusal(
        "already_posted",
        409,
        N_("This stage was already posted. Nothing was sent again."),
    ),
    Refusal("finished", 409, N_("This order is already completed.")),
    Refusal("tailor_only", 403, N_("Only the tailor posts this stage.")),
    Refusal("designer_only", 403, N_("Only the designer can do this.")),
    Refusal(
        "down_payment_first",
        409,
        N_("Shipping waits for the down payment: the tailor must confirm it arrived."),
    ),
    Refusal(
        "moved_meanwhile",
        409,
        N_("The order changed meanwhile. Look at it again and retry."),
    ),
    Refusal(
        "cancellation_open",
        409,
        N_("A cancellation request is open: production waits until it is answered."),
    ),
    Refusal("note_too_long", 422, N_("The note is too long (500 characters at most).")),
    Refusal("too_long", 422, N_("That text is too long.")),
    Refusal(
        "reason_required",
        422,
        N_("Write the reason the other side will read (at least 5 characters)."),
    ),
    Refusal(
        "shipping_required",
        422,
        N_("Write the courier and the tracking number (resi)."),
    ),
    Refusal(
        "cancel_reason_length",
        422,
        N_("Write why you want to cancel, in 5 to 500 characters: the other side reads it."),
    ),
    Refusal("already_cancelled", 409, N_("This order is already cancelled.")),
    Refusal(
        "too_late_to_cancel",
        409,
        N_("The order has been shipped: it can no longer be cancelled. Write to the other side."),
    ),
    Refusal(
        "cancellation_exists",
        409,
        N_("A cancellation request is already open on this order. Answer or withdraw it first."),
    ),
    Refusal(
        "no_pending_request",
        409,
        N_("No cancellation request is waiting for an answer: it was answered or withdrawn."),
    ),
    Refusal("dispute_open", 409, N_("This request became a dispute: an admin decides now.")),
    Refusal("not_your_request", 403, N_("Only the one who asked can withdraw this request.")),
    Refusal(
        "own_request",
        403,
        N_("You asked for this cancellation: the other side answers it."),
    ),
    Refusal("payment_designer_only", 403, N_("Only the designer marks a payment as paid.")),
    Refusal("payment_tailor_only", 403, N_("Only the tailor confirms that a payment arrived.")),
    Refusal("payment_already_marked", 409, N_("This payment is already marked as paid.")),
    Refusal(
        "payment_not_marked",
        409,
        N_("The designer has not marked this payment as paid yet."),
    ),
    Refusal("payment_already_confirmed", 409, N_("This payment is already confirmed.")),
    Refusal(
        "final_after_shipping",
        409,
        N_("The final payment can be marked once the order is shipped."),
    ),
    Refusal(
        "percent_invalid",
        422,
        N_("The down payment is a whole percentage from 10 to 100."),
    ),
    Refusal(
        "payments_started",
        409,
        N_("The down payment can no longer change: a payment is already marked as paid."),
    ),
    Refusal(
        "not_completed",
        409,
        N_("Ratings open once the designer confirms receipt of the order."),
    ),
    Refusal(
        "reviews_closed",
        409,
        N_("Ratings close 14 days after completion: this one can no longer be given."),
    ),
    Refusal("already_reviewed", 409, N_("You have already rated this order.")),
    Refusal("stars_invalid", 422, N_("Choose from 1 to 5 stars.")),
    Refusal("comment_too_long", 422, N_("The comment is too long (500 characters at most).")),
    Refusal("message_empty", 422, N_("Write a message before sending.")),
    Refusal("message_too_long", 422, N_("The message is too long (1,000 characters at most).")),
    Refusal(
        "thread_read_only",
        403,
        N_("Admins read this thread but do not write in it: only the two parties do."),
    ),
    Refusal(
        "thread_closed",
        409,
        N_("This order was cancelled: the thread takes no new messages."),
    ),
    # A photo sent with a stage or a payment: the upload's own text, refused like a field.
    *(Refusal(image.code, 422, image.text) for image in IMAGE_REFUSALS),
)


class OrderError(Refused):
    """Posting, offers and assignment; `field` is the input to mark."""

    refusals = ORDER_REFUSALS


class Ineligible(OrderError):
    """A dispatch rule refuses this tailor this order; `code` names the rule."""


class TrackingError(Refused):
    """Production, payments, the thread, ratings and cancellations."""

    refusals = PRODUCTION_REFUSALS


class StageError(Refused):
    """A stage move the rules do not allow."""

    refusals = PRODUCTION_REFUSALS
