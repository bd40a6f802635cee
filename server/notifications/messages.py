"""What each alert-settings refusal says, in the person's language."""

from server.web.i18n import gettext as _


def error_message(code: str) -> str:
    messages = {
        "unknown_kind": _("Choose from the list of alerts."),
        "bad_time": _("Write a time from 00:00 to 23:59, like 21:00."),
        "bad_cap": _("Choose a whole number from 1 to 60."),
        "bad_subscription": _(
            "The browser sent an alert subscription we could not read. Please try again."
        ),
        "unknown_subscription": _("That alert subscription is not known here."),
        "bad_endpoint": _(
            "Alerts can only go through your browser's own push service (Chrome, Firefox, "
            "Safari or Edge). Please turn alerts on again from this browser."
        ),
        "endpoint_taken": _(
            "This browser already receives alerts for another account. Please turn alerts on "
            "again, or sign out of the other account on this browser first."
        ),
        "cross_site": _(
            "This request did not come from the Clothing Line page. Please open the app and "
            "try again."
        ),
    }
    return messages.get(code, _("Something went wrong. Please try again."))
