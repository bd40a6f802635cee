"""What the admin console says: refusals and stored values, in the admin's language."""

from __future__ import annotations

from server.accounts.messages import error_message as account_message
from server.admin.cohorts import BATCH_MAX
from server.admin.errors import AdminError
from server.web.i18n import gettext as _


def error_message(error: AdminError) -> str:
    messages = {
        "reason_required": _("Write the reason (at least 5 characters)."),
        "already_suspended": _("This account is already suspended."),
        "not_suspended": _("This account is not suspended."),
        "invalid_name": _("Write a name of 2 to 120 characters."),
        "invalid_place": _("Write the place of 2 to 160 characters."),
        "invalid_trainer": _("The trainer's name can be at most 120 characters."),
        "choose_province": _("Choose the province."),
        "bad_date": _("Choose a date."),
        "ends_before_start": _("The end date cannot be before the start date."),
        "invalid_phone": account_message("invalid_phone"),
        "no_account": _("No account has this WhatsApp number. Enrol the person below instead."),
        "not_a_tailor": _("That account is not a tailor."),
        "already_member": _("This tailor is already in the cohort."),
        "empty_batch": _("Write at least one line: a name, a comma and a WhatsApp number."),
        "too_many_lines": _("At most %(count)d people at once. Split the list.", count=BATCH_MAX),
        "bad_line": _(
            "Write a name, a comma and a WhatsApp number, like “Siti Rahayu, 0812 3456 7890”."
        ),
        "phone_taken": _(
            "This WhatsApp number already has an account: add it by number above. If someone "
            "else registered it, open that account under Manage accounts and release the number."
        ),
        "duplicate_phone": _("This WhatsApp number is already on an earlier line."),
        "not_a_number": _("Write a whole number."),
        "number_held": _("This WhatsApp number already belongs to an account."),
        "not_releasable": _("Only a tailor's or a designer's number can be released."),
        "already_released": _("This account no longer holds a number."),
        "out_of_range": _("Use a number from 0 to 100,000."),
    }
    text = messages.get(error.code) or account_message(error.code)
    if error.line is not None:
        return _("Line %(line)d: %(problem)s", line=error.line, problem=text)
    return text


def verification_labels() -> dict[str, str]:
    return {
        "incomplete": _("No certificate yet"),
        "pending": _("Waiting for verification"),
        "verified": _("Verified"),
        "rejected": _("Rejected"),
        "expired": _("Expired"),
    }


def participant_stage_labels() -> dict[str, str]:
    return {
        "invited": _("Invited (no passkey yet)"),
        "registered": _("Registered"),
        "submitted": _("Certificate submitted"),
        "rejected": _("Certificate rejected"),
        "verified": _("Verified"),
    }
