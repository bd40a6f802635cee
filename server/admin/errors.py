"""The admin console's refusals: a code picks the translated message (see messages.py)."""

from __future__ import annotations

from server.accounts.services import AccountError


class AdminError(AccountError):
    """`field` names the input to mark; `line` the line of a pasted list it is about."""

    def __init__(self, code: str, field: str | None = None, line: int | None = None) -> None:
        super().__init__(code, field)
        self.line = line
