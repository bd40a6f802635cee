"""How a deleted account reads wherever it still appears (the other party's orders, the
admin's lists and figures): a fixed name, shown in the reader's language, and no number."""

from __future__ import annotations

from typing import Any

from server.web.i18n import gettext as _

# Stored in the row in the programme's language; shown in the reader's by `display_name`.
DELETED_NAME = "akun dihapus"
DELETED_PHONE_PREFIX = "deleted-"


def display_name(name: str) -> str:
    return _("Deleted account") if name == DELETED_NAME else name


def deleted_phone(account_id: int) -> str:
    """Unique (the column is) and never a WhatsApp number: no link or call is made from it."""
    return f"{DELETED_PHONE_PREFIX}{account_id}"


def translate_deleted_names(value: Any) -> Any:
    """Jinja's `finalize`: every printed value (a name, or a sentence a name was put into)
    reads the deleted account's name in the reader's language. Only text that contains the
    stored name is touched, so the cost is one substring test per printed string."""
    if isinstance(value, str) and DELETED_NAME in value:
        shown = _("Deleted account")
        if shown != DELETED_NAME:
            return value.replace(DELETED_NAME, shown)  # Markup.replace escapes `shown`
    return value
