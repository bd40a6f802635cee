"""Production routes: the polled region, posting a stage, sending a sample back, and the
"hemat data" switch. Only the order's two parties act; admins read."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.auth.guards import signed_in, user_of
from server.auth.sessions import CurrentUser
from server.idempotency.forms import claim_of
from server.idempotency.services import KeyRefused, Outcome, once
from server.media.images import MAX_UPLOAD_BYTES, ProcessedImage
from server.orders.page.production import DATA_SAVER_COOKIE, production_fragment
from server.orders.page.routes import order_page
from server.orders.parties import order_for
from server.orders.production import services as production
from server.orders.production.uploads import checked_photo
from server.orders.refusals import TrackingError
from server.web.forms import Multipart, upload_bytes
from server.web.refusals import Refused
from server.web.render import wants_fragment

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
STAGE_UPLOAD_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024


async def readable_order(public_id: UUID, user: CurrentUser) -> dict[str, Any]:
    try:
        return await order_for(public_id, user.account_id, user.role)
    except TrackingError:
        raise NotFoundException() from None


Answer = Response[Any] | Template | Redirect


async def respond(
    request: Request[Any, Any, Any],
    public_id: UUID,
    error: Refused | None = None,
) -> Answer:
    """After an action: the region again for htmx, the page (303) for a plain form; a refusal
    is the region or the page with its message and status, nothing written."""
    user = user_of(request)
    order = await readable_order(public_id, user)
    problem = error.message if error else None
    status = error.status if error else 200
    if wants_fragment(request):
        return await production_fragment(request, order, user, problem=problem, status_code=status)
    if error is None:
        return Redirect(f"/orders/{public_id}", status_code=303)
    return await order_page(request, user, order, problem=problem, status_code=status)


async def answer(
    request: Request[Any, Any, Any], public_id: UUID, action: Coroutine[Any, Any, Any]
) -> Answer:
    """Carry out a party's action on the order and answer with `respond`, refusals included.
    Done once per form key: a replay answers as the first time did and changes nothing."""

    async def act() -> Outcome:
        await action
        return Outcome(status=303, location=f"/orders/{public_id}")

    try:
        _outcome, replayed = await once(await claim_of(request), act)
    except TrackingError as error:
        return await respond(request, public_id, error)
    except KeyRefused as error:
        action.close()
        return await respond(request, public_id, error)
    if replayed:
        action.close()  # never started: the first request did it
    return await respond(request, public_id)


async def answer_with_photo(
    request: Request[Any, Any, Any],
    public_id: UUID,
    upload: Any,
    action: Callable[[ProcessedImage | None], Coroutine[Any, Any, Any]],
) -> Answer:
    """`answer` for an action that may come with a photo: the photo is checked and re-encoded
    first, before `once` opens the action's transaction (on SQLite that holds the write lock)."""
    try:
        image = await checked_photo(await upload_bytes(upload))
    except TrackingError as error:
        return await respond(request, public_id, error)
    return await answer(request, public_id, action(image))


class ProductionController(Controller):
    path = "/orders/{public_id:uuid}"
    guards = [signed_in]

    @get("/production")
    async def region(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Answer:
        """The region an open order page polls; a 304 when nothing changed."""
        user = user_of(request)
        order = await readable_order(public_id, user)
        if not wants_fragment(request):
            return Redirect(f"/orders/{public_id}", status_code=303)
        return await production_fragment(request, order, user)

    @post("/stages", request_max_body_size=STAGE_UPLOAD_LIMIT, status_code=200)
    async def post_stage(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: Multipart
    ) -> Answer:
        user = user_of(request)
        return await answer_with_photo(
            request,
            public_id,
            data.get("photo"),
            lambda image: production.advance(
                public_id,
                user.account_id,
                str(data.get("stage", "")),
                note=str(data.get("note", "")),
                image=image,
                store=request.app.state.media,
                courier=str(data.get("courier", "")),
                tracking_number=str(data.get("tracking_number", "")),
            ),
        )

    @post("/sample/reject", status_code=200)
    async def reject_sample(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Answer:
        user = user_of(request)
        reason = str(data.get("reason", ""))
        return await answer(
            request, public_id, production.reject_sample(public_id, user.account_id, reason)
        )


@post("/data-saver", guards=[signed_in], status_code=303)
async def data_saver_switch(data: FormData) -> Redirect:
    """ "Hemat data" for this device: photos on order pages show only when tapped."""
    target = str(data.get("next", "/"))
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = Redirect(target, status_code=303)
    on = data.get("on") == "1"
    response.set_cookie(
        DATA_SAVER_COOKIE,
        "1" if on else "0",
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
    )
    return response
