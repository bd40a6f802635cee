"""What a tailor-profile refusal is: its code, its HTTP status and what it says."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

PROFILE_REFUSALS = Refusals(
    Refusal("not_a_number", 400, N_("Write a whole number.")),
    Refusal("out_of_range", 400, N_("That number is outside the allowed range.")),
    Refusal("bad_location", 400, N_("Your location could not be read. Choose your city instead.")),
    Refusal(
        "outside_indonesia",
        400,
        N_("That location is outside Indonesia. Choose your city instead."),
    ),
    Refusal("choose_city", 400, N_("Choose your province and city.")),
    Refusal("choose_skill", 400, N_("Choose at least one kind of garment you sew.")),
    Refusal("unknown_choice", 400, N_("Choose from the list.")),
    Refusal("too_long", 400, N_("That text is too long.")),
    Refusal(
        "not_verified",
        409,
        N_("Your SKKNI certificate must be verified before you can take orders."),
    ),
    Refusal("required", 400, N_("Fill in this field (2 to 160 characters).")),
    Refusal("bad_date", 400, N_("Choose a date.")),
    Refusal("issued_in_future", 400, N_("The issue date cannot be in the future.")),
    Refusal("expires_before_issue", 400, N_("The expiry date must be after the issue date.")),
    Refusal("already_expired", 400, N_("This certificate has already expired.")),
    Refusal("already_pending", 400, N_("Your certificate is already waiting for verification.")),
    Refusal(
        "reason_required",
        400,
        N_("Write the reason the tailor will read (at least 5 characters)."),
    ),
    Refusal("already_decided", 409, N_("This certificate was already decided.")),
    Refusal("photo_required", 400, N_("Add a photo of your certificate.")),
    Refusal("portfolio_full", 400, N_("You already have 6 portfolio photos. Remove one first.")),
)


class ProfileError(Refused):
    """Onboarding, availability and SKKNI certificates; `field` is the input to mark."""

    refusals = PROFILE_REFUSALS
