"""What each refusal during production says, in the reader's language."""

from server.idempotency.forms import reused_message
from server.media.messages import image_messages
from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    messages = {
        "not_found": _("This order does not exist."),
        "form_reused": reused_message(),
        "not_in_production": _("This order is not in production: it is finished or cancelled."),
        "unknown_stage": _("Choose a stage from the list."),
        "no_sample": _("This order has no sample stage."),
        "sample_first": _("The designer must approve the sample before the materials stage."),
        "wrong_stage": _("That is not the next stage of this order."),
        "finished": _("This order is already completed."),
        "tailor_only": _("Only the tailor posts this stage."),
        "designer_only": _("Only the designer can do this."),
        "down_payment_first": _(
            "Shipping waits for the down payment: the tailor must confirm it arrived."
        ),
        "moved_meanwhile": _("The order changed meanwhile. Look at it again and retry."),
        "cancellation_open": _(
            "A cancellation request is open: production waits until it is answered."
        ),
        "note_too_long": _("The note is too long (500 characters at most)."),
        "too_long": _("That text is too long."),
        "reason_required": _("Write the reason the other side will read (at least 5 characters)."),
        "shipping_required": _("Write the courier and the tracking number (resi)."),
        "cancel_reason_length": _(
            "Write why you want to cancel, in 5 to 500 characters: the other side reads it."
        ),
        "already_cancelled": _("This order is already cancelled."),
        "too_late_to_cancel": _(
            "The order has been shipped: it can no longer be cancelled. Write to the other side."
        ),
        "cancellation_exists": _(
            "A cancellation request is already open on this order. Answer or withdraw it first."
        ),
        "no_pending_request": _(
            "No cancellation request is waiting for an answer: it was answered or withdrawn."
        ),
        "dispute_open": _("This request became a dispute: an admin decides now."),
        "not_your_request": _("Only the one who asked can withdraw this request."),
        "own_request": _("You asked for this cancellation: the other side answers it."),
        "payment_designer_only": _("Only the designer marks a payment as paid."),
        "payment_tailor_only": _("Only the tailor confirms that a payment arrived."),
        "payment_already_marked": _("This payment is already marked as paid."),
        "payment_not_marked": _("The designer has not marked this payment as paid yet."),
        "payment_already_confirmed": _("This payment is already confirmed."),
        "final_after_shipping": _("The final payment can be marked once the order is shipped."),
        "percent_invalid": _("The down payment is a whole percentage from 10 to 100."),
        "payments_started": _(
            "The down payment can no longer change: a payment is already marked as paid."
        ),
        "not_completed": _("Ratings open once the designer confirms receipt of the order."),
        "reviews_closed": _(
            "Ratings close 14 days after completion: this one can no longer be given."
        ),
        "already_reviewed": _("You have already rated this order."),
        "stars_invalid": _("Choose from 1 to 5 stars."),
        "comment_too_long": _("The comment is too long (500 characters at most)."),
        "message_empty": _("Write a message before sending."),
        "message_too_long": _("The message is too long (1,000 characters at most)."),
        "thread_read_only": _(
            "Admins read this thread but do not write in it: only the two parties do."
        ),
        "thread_closed": _("This order was cancelled: the thread takes no new messages."),
        **image_messages(),
    }
    return messages.get(code, _("Something went wrong. Please try again."))
