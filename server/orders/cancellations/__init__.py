"""Cancelling an order in production: a request the other side answers, and the
dispute an admin decides when it is refused or left unanswered."""
