"""The key of a one-shot form: minted into a hidden field when the form is rendered, or sent
as an `Idempotency-Key` header (the offline outbox), and read back into a Claim."""

from __future__ import annotations

from typing import Any

from litestar import Request
from markupsafe import Markup

from server.auth.guards import user_of
from server.idempotency.services import Claim, mint_key, request_hash

KEY_FIELD = "_idempotency_key"
KEY_HEADER = "Idempotency-Key"
# The order's revision the page showed when an action was queued (`data-order-revision`).
REVISION_HEADER = "Order-Revision"
# Not part of what was asked: the CSRF token is the cookie's, the key is the key.
UNHASHED = {KEY_FIELD, "_csrf_token"}


def key_input(element_id: str = "", oob: bool = False) -> Markup:
    """The hidden field, for templates; an id (and out-of-band swap) where a form stays on the
    page after it was sent and needs a fresh key."""
    extra = Markup(' id="{}"').format(element_id) if element_id else Markup("")
    if oob:
        extra += Markup(' hx-swap-oob="true"')
    return Markup('<input type="hidden" name="{}" value="{}"{}>').format(
        KEY_FIELD, mint_key(), extra
    )


async def claim_of(request: Request[Any, Any, Any]) -> Claim | None:
    """The signed-in person's claim on the key this request carries; None without a key."""
    form = await request.form()
    key = request.headers.get(KEY_HEADER) or form.get(KEY_FIELD)
    if not key:
        return None
    fields = [
        (name, value if isinstance(value, str) else f"file:{getattr(value, 'filename', '')}")
        for name, value in form.multi_items()
        if name not in UNHASHED
    ]
    return Claim(
        account_id=user_of(request).account_id,
        key=str(key),
        action=f"{request.method} {request.url.path}",
        request_hash=request_hash(fields),
    )


def order_revision(request: Request[Any, Any, Any]) -> int | None:
    """The revision a queued action was made against; None when the request does not say."""
    raw = request.headers.get(REVISION_HEADER, "").strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)
