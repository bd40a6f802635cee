"""What an admin-console refusal is: its code, its HTTP status and what it says to the admin."""

from __future__ import annotations

from server.web.i18n import gettext as _
from server.web.refusals import N_, Refusal, Refusals, Refused

ADMIN_REFUSALS = Refusals(
    # Suspending and releasing a number
    Refusal("reason_required", 400, N_("Write the reason (at least 5 characters).")),
    Refusal("already_suspended", 409, N_("This account is already suspended.")),
    Refusal("not_suspended", 409, N_("This account is not suspended.")),
    Refusal("number_held", 409, N_("This WhatsApp number already belongs to an account.")),
    Refusal("not_releasable", 409, N_("Only a tailor's or a designer's number can be released.")),
    Refusal("already_released", 409, N_("This account no longer holds a number.")),
    # Cohorts and their members
    Refusal("invalid_name", 400, N_("Write a name of 2 to 120 characters.")),
    Refusal("invalid_place", 400, N_("Write the place of 2 to 160 characters.")),
    Refusal("invalid_trainer", 400, N_("The trainer's name can be at most 120 characters.")),
    Refusal("choose_province", 400, N_("Choose the province.")),
    Refusal("bad_date", 400, N_("Choose a date.")),
    Refusal("ends_before_start", 400, N_("The end date cannot be before the start date.")),
    Refusal(
        "invalid_phone",
        400,
        N_("That is not an Indonesian mobile number. Write it like 0812 3456 7890."),
    ),
    Refusal(
        "no_account",
        400,
        N_("No account has this WhatsApp number. Enrol the person below instead."),
    ),
    Refusal("not_a_tailor", 400, N_("That account is not a tailor.")),
    Refusal("already_member", 409, N_("This tailor is already in the cohort.")),
    Refusal(
        "empty_batch",
        400,
        N_("Write at least one line: a name, a comma and a WhatsApp number."),
    ),
    Refusal("too_many_lines", 400, N_("At most %(count)d people at once. Split the list.")),
    Refusal(
        "bad_line",
        400,
        N_("Write a name, a comma and a WhatsApp number, like “Siti Rahayu, 0812 3456 7890”."),
    ),
    Refusal(
        "phone_taken",
        400,
        N_(
            "This WhatsApp number already has an account: add it by number above. If someone "
            "else registered it, open that account under Manage accounts and release the number."
        ),
    ),
    Refusal("duplicate_phone", 400, N_("This WhatsApp number is already on an earlier line.")),
    # Targets
    Refusal("not_a_number", 400, N_("Write a whole number.")),
    Refusal("out_of_range", 400, N_("Use a number from 0 to 100,000.")),
    # Disputes
    Refusal("choose_outcome", 422, N_("Choose: cancel the order, or production continues.")),
    Refusal(
        "decision_length",
        422,
        N_("Write the decision both sides will read, in 5 to 1000 characters."),
    ),
    Refusal("already_decided", 409, N_("This dispute is already decided.")),
    Refusal(
        "not_disputed",
        409,
        N_("This request is not a dispute: the two sides settled it themselves."),
    ),
    Refusal(
        "too_late_to_cancel",
        409,
        N_("The order has been shipped meanwhile: it cannot be cancelled."),
    ),
)


class AdminError(Refused):
    """`field` names the input to mark; `line` the line of a pasted list it is about."""

    refusals = ADMIN_REFUSALS

    def __init__(
        self, code: str, field: str | None = None, line: int | None = None, **params: object
    ) -> None:
        super().__init__(code, field, **params)
        self.line = line

    @property
    def message(self) -> str:
        text = super().message
        if self.line is not None:
            return _("Line %(line)d: %(problem)s", line=self.line, problem=text)
        return text
