"""What a refused one-shot key is: its code, its HTTP status and what it says."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

KEY_REFUSALS = Refusals(
    Refusal(
        "form_reused",
        422,
        N_("This form was already sent with other content. Reload the page and try again."),
    ),
)


class KeyRefused(Refused):
    """The key is malformed, or was first used with another request."""

    refusals = KEY_REFUSALS
