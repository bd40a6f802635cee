"""What an alert-settings or push-subscription refusal is: code, HTTP status and text."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

NOTIFICATION_REFUSALS = Refusals(
    Refusal("unknown_kind", 400, N_("Choose from the list of alerts.")),
    Refusal("bad_time", 400, N_("Write a time from 00:00 to 23:59, like 21:00.")),
    Refusal("bad_cap", 400, N_("Choose a whole number from 1 to 60.")),
    Refusal(
        "bad_subscription",
        400,
        N_("The browser sent an alert subscription we could not read. Please try again."),
    ),
    Refusal("unknown_subscription", 404, N_("That alert subscription is not known here.")),
    Refusal(
        "bad_endpoint",
        400,
        N_(
            "Alerts can only go through your browser's own push service (Chrome, Firefox, "
            "Safari or Edge). Please turn alerts on again from this browser."
        ),
    ),
    Refusal(
        "endpoint_taken",
        409,
        N_(
            "This browser already receives alerts for another account. Please turn alerts on "
            "again, or sign out of the other account on this browser first."
        ),
    ),
    Refusal(
        "cross_site",
        403,
        N_(
            "This request did not come from the Clothing Line page. Please open the app and "
            "try again."
        ),
    ),
)


class PreferenceError(Refused):
    """The alert settings form; `field` is the input to mark."""

    refusals = NOTIFICATION_REFUSALS


class SubscriptionError(Refused):
    """This browser's push subscription, as push.js or the service worker sent it."""

    refusals = NOTIFICATION_REFUSALS
