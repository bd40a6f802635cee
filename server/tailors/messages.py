"""What each profile refusal says, in the tailor's language."""

from server.media.messages import image_messages
from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    messages = {
        "not_a_number": _("Write a whole number."),
        "out_of_range": _("That number is outside the allowed range."),
        "bad_location": _("Your location could not be read. Choose your city instead."),
        "outside_indonesia": _("That location is outside Indonesia. Choose your city instead."),
        "choose_city": _("Choose your province and city."),
        "choose_skill": _("Choose at least one kind of garment you sew."),
        "unknown_choice": _("Choose from the list."),
        "too_long": _("That text is too long."),
        "not_verified": _("Your SKKNI certificate must be verified before you can take orders."),
        "required": _("Fill in this field (2 to 160 characters)."),
        "bad_date": _("Choose a date."),
        "issued_in_future": _("The issue date cannot be in the future."),
        "expires_before_issue": _("The expiry date must be after the issue date."),
        "already_expired": _("This certificate has already expired."),
        "already_pending": _("Your certificate is already waiting for verification."),
        "reason_required": _("Write the reason the tailor will read (at least 5 characters)."),
        "already_decided": _("This certificate was already decided."),
        "photo_required": _("Add a photo of your certificate."),
        "portfolio_full": _("You already have 6 portfolio photos. Remove one first."),
        **image_messages(),
    }
    return messages.get(code, _("Something went wrong. Please try again."))
