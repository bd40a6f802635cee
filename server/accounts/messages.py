"""What each account refusal says to the user, in their language."""

from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    messages = {
        "invalid_role": _("Choose whether you are a tailor or a designer/brand."),
        "invalid_name": _("Write your name (2 to 120 letters)."),
        "invalid_phone": _(
            "That is not an Indonesian mobile number. Write it like 0812 3456 7890."
        ),
        "phone_taken": _(
            "This WhatsApp number already has an account. If it is yours, sign in, or use a "
            "recovery code if you lost your phone. If you never made that account, someone else "
            "registered your number: contact the programme admin, who can check and release it "
            "to you."
        ),
        "challenge_invalid": _(
            "This passkey request has expired or was already used. Please try again."
        ),
        "malformed": _("The browser sent something we could not read. Please try again."),
        "verification_failed": _(
            "Your passkey could not be verified. Please try again, or use another device."
        ),
        "credential_taken": _("This passkey is already registered."),
        "unknown_credential": _(
            "This passkey is not registered here. Register first, or use a recovery code."
        ),
        "suspended": _("This account is suspended. Contact the programme admin."),
        "recovery_invalid": _("That phone number and recovery code do not match an unused code."),
        "enrolment_invalid": _(
            "This enrolment link is invalid, already used or expired. Ask the admin for a new one."
        ),
        "last_passkey": _("You cannot remove your only passkey. Add another one first."),
        "invalid_label": _("Give the passkey a name of 1 to 60 characters."),
        "not_found": _("That item does not exist."),
    }
    return messages.get(code, _("Something went wrong. Please try again."))
