"""What the admin console calls stored values, in the admin's language."""

from __future__ import annotations

from server.web.i18n import gettext as _


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
