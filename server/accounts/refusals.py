"""What an account refusal is: its code, its HTTP status and what it says to the person."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

ACCOUNT_REFUSALS = Refusals(
    Refusal("invalid_role", 400, N_("Choose whether you are a tailor or a designer/brand.")),
    Refusal("invalid_name", 400, N_("Write your name (2 to 120 letters).")),
    Refusal(
        "invalid_phone",
        400,
        N_("That is not an Indonesian mobile number. Write it like 0812 3456 7890."),
    ),
    Refusal(
        "phone_taken",
        409,
        N_(
            "This WhatsApp number already has an account. If it is yours, sign in, or use a "
            "recovery code if you lost your phone. If you never made that account, someone else "
            "registered your number: contact the programme admin, who can check and release it "
            "to you."
        ),
    ),
    Refusal(
        "challenge_invalid",
        400,
        N_("This passkey request has expired or was already used. Please try again."),
    ),
    Refusal(
        "malformed", 400, N_("The browser sent something we could not read. Please try again.")
    ),
    Refusal(
        "verification_failed",
        400,
        N_("Your passkey could not be verified. Please try again, or use another device."),
    ),
    Refusal("credential_taken", 400, N_("This passkey is already registered.")),
    Refusal(
        "unknown_credential",
        401,
        N_("This passkey is not registered here. Register first, or use a recovery code."),
    ),
    Refusal("suspended", 403, N_("This account is suspended. Contact the programme admin.")),
    Refusal(
        "recovery_invalid",
        400,
        N_("That phone number and recovery code do not match an unused code."),
    ),
    Refusal(
        "enrolment_invalid",
        400,
        N_("This enrolment link is invalid, already used or expired. Ask the admin for a new one."),
    ),
    Refusal("last_passkey", 409, N_("You cannot remove your only passkey. Add another one first.")),
    Refusal("invalid_label", 400, N_("Give the passkey a name of 1 to 60 characters.")),
    Refusal("not_found", 404, N_("That item does not exist.")),
    Refusal("confirm_deletion", 400, N_("Type %(word)s in the box to delete your account.")),
)


class AccountError(Refused):
    """Signing up or in, recovery, enrolment links and passkeys."""

    refusals = ACCOUNT_REFUSALS
