"""One way to refuse: a domain declares each refusal once (code, HTTP status, text), raises its
`Refused` subclass with the code, and routes answer it with `refused()`.

    # server/<domain>/refusals.py
    PROFILE_REFUSALS = Refusals(
        Refusal("too_long", 400, N_("That text is too long.")),
        Refusal("not_verified", 409, N_("Your certificate must be verified first.")),
    )

    class ProfileError(Refused):
        refusals = PROFILE_REFUSALS

The text is the English msgid, translated only when it is read, so it is in the language of
whoever reads it; `%(name)s` placeholders are filled from the exception's keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar, cast, overload

from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.types import Scope

from server.web.i18n import gettext
from server.web.render import render

# What a request from the outbox was told it cannot do, (code, text) as the person reads it:
# its answer repeats the first in headers (server/web/outbox.py). None for other requests.
TOLD: ContextVar[list[tuple[str, str]] | None] = ContextVar("refusals_told", default=None)
TOLD_KEY = "refusals_told"  # the same list, in the request's scope


def from_outbox(scope: Scope) -> bool:
    """Queued on the phone and replayed: nobody watches the answer, the outbox shows it."""
    headers = dict(scope.get("headers", []))
    return b"idempotency-key" in headers or headers.get(b"outbox") == b"1"


def listen(scope: Scope) -> None:
    """Note what this request is told from here on, if it comes from the outbox."""
    told: list[tuple[str, str]] | None = None
    if from_outbox(scope):
        told = cast(dict[str, Any], scope).setdefault(TOLD_KEY, [])
    TOLD.set(told)


def note(scope: Scope, code: str, text: str) -> None:
    """What an error page (outside any route's refusals) told an outbox request."""
    if from_outbox(scope):
        cast(dict[str, Any], scope).setdefault(TOLD_KEY, []).append((code, text))


def tell(code: str, text: str) -> None:
    """Note a refusal as the person reads it, for the outbox request being answered now."""
    told = TOLD.get()
    if told is not None:
        told.append((code, text))


def N_(message: str) -> str:  # the gettext marker: extracted by `make messages`, translated later
    return message


@dataclass(frozen=True)
class Refusal:
    """`params` gives placeholders known only when the text is read (a limit written as
    Rupiah, a date): in the reader's language and as of today."""

    code: str
    status: int
    text: str
    params: Callable[[], Mapping[str, object]] | None = None

    def message(self, **params: object) -> str:
        if self.params is not None:
            params = {**self.params(), **params}
        return gettext(self.text, **params)


class Refusals:
    """A domain's refusals by code; each code is declared once."""

    def __init__(self, *refusals: Refusal) -> None:
        self.by_code: dict[str, Refusal] = {}
        for refusal in refusals:
            if refusal.code in self.by_code:
                raise ValueError(f"refusal {refusal.code!r} is declared twice")
            self.by_code[refusal.code] = refusal

    def __getitem__(self, code: str) -> Refusal:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[Refusal]:
        return iter(self.by_code.values())


class Refused(Exception):
    """A refusal the person can act on. `field` names the input to mark; keyword arguments
    fill the text's placeholders. Each domain's subclass sets `refusals`."""

    refusals: ClassVar[Refusals]

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        if code not in self.refusals:
            raise LookupError(f"{type(self).__name__} declares no refusal {code!r}")
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    @property
    def refusal(self) -> Refusal:
        return self.refusals[self.code]

    @property
    def status(self) -> int:
        return self.refusal.status

    @property
    def message(self) -> str:
        """In the language of the request (or alert) being answered now."""
        text = self.refusal.message(**self.params)
        tell(self.code, text)
        return text


@overload
def refused(
    request: Request[Any, Any, Any],
    refusal: Refused,
    template: None = None,
    *,
    headers: dict[str, str] | None = None,
    codes: bool = False,
) -> Response[Any]: ...


@overload
def refused(
    request: Request[Any, Any, Any],
    refusal: Refused | None,
    template: str,
    *,
    block: str = "content",
    field: str | None = None,
    key: str = "error",
    status_code: int | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template: ...


def refused(
    request: Request[Any, Any, Any],
    refusal: Refused | None,
    template: str | None = None,
    *,
    block: str = "content",
    field: str | None = None,
    key: str = "error",
    status_code: int | None = None,
    headers: dict[str, str] | None = None,
    codes: bool = False,
    **context: Any,
) -> Template | Response[Any]:
    """The answer to a request, refused or not.

    A JSON endpoint (no template) gets `{"error": text}`, with the code and the field too when
    `codes`. A page gets its template again, the whole page or for htmx the block, its status
    the refusal's and its text in `errors[refusal.field or field]` for a form that marks its
    fields, else in `key`. `status_code` is for the rare page that answers one way whatever the
    refusal. Without a refusal (a page builder passes its optional one straight on) the page is
    rendered as it is, with `status_code` or 200.
    """
    if template is None:
        assert refusal is not None
        body: dict[str, Any] = {"error": refusal.message}
        if codes:
            body |= {"code": refusal.code, "field": refusal.field}
        return Response(
            body,
            status_code=status_code or refusal.status,
            media_type=MediaType.JSON,
            headers={"Cache-Control": "no-store", **(headers or {})},
        )
    status = status_code or 200
    if refusal is not None:
        status = status_code or refusal.status
        if field is not None:
            context["errors"] = {refusal.field or field: refusal.message}
        else:
            context[key] = refusal.message
    return render(request, template, block=block, status_code=status, headers=headers, **context)
