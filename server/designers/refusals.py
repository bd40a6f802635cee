"""What a business-profile refusal is: its code, its HTTP status and what it says."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

BUSINESS_PROFILE_REFUSALS = Refusals(
    Refusal("required", 400, N_("Fill in this field (2 to 160 characters).")),
    Refusal("unknown_choice", 400, N_("Choose from the list.")),
    Refusal("choose_city", 400, N_("Choose your province and city.")),
    Refusal("too_long", 400, N_("That text is too long.")),
)


class BusinessProfileError(Refused):
    """The designer's business profile form; `field` is the input to mark."""

    refusals = BUSINESS_PROFILE_REFUSALS
