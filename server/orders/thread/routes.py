"""The thread of an order: its list, polled with an ETag, and sending a message. The two
parties write; admins read; everyone else is told the order does not exist."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.auth.guards import signed_in, user_of
from server.auth.sessions import CurrentUser
from server.idempotency.forms import claim_of
from server.idempotency.services import KeyRefused, Outcome, once
from server.notifications.bell import STATE_KEY
from server.notifications.inbox import unread_count
from server.orders.page.routes import order_page
from server.orders.production.routes import FormData, readable_order
from server.orders.records import OrderRecord
from server.orders.refusals import TrackingError
from server.orders.thread.services import (
    facts_etag,
    send_message,
    thread_facts,
    thread_state,
    with_problem,
)
from server.web.conditional import etag_headers, unchanged
from server.web.refusals import Refused
from server.web.render import wants_fragment


def thread_anchor(public_id: UUID) -> str:
    return f"/orders/{public_id}#order-{public_id}-thread"


async def thread_fragment(
    request: Request[Any, Any, Any],
    order: OrderRecord,
    user: CurrentUser,
    *,
    posted: bool = False,
    problem: str | None = None,
    status_code: int = 200,
) -> Response[Any] | Template:
    """The list alone: 304 when the browser holds this version. After a post it also carries
    the form's problem line (out of band), so the text being written stays where it is."""
    facts = await thread_facts(order, user.account_id)
    tag = facts_etag(order, user.account_id, facts)
    if not posted:
        not_modified = unchanged(request, tag)
        if not_modified is not None:
            return not_modified
    thread = await thread_state(
        order, user.account_id, poll_seconds=request.app.state.settings.poll_seconds, facts=facts
    )
    if thread.cleared:
        # Message alerts just left the bell: the header's count follows (out of band).
        request.state[STATE_KEY] = await unread_count(user.account_id)
    return Template(
        template_name="orders/_thread_fragment.html",
        context={
            "order": order,
            "thread": with_problem(thread, problem),
            "posted": posted,
        },
        status_code=status_code,
        headers=etag_headers(tag),
        media_type=MediaType.HTML,
    )


async def answer(
    request: Request[Any, Any, Any],
    public_id: UUID,
    error: Refused | None = None,
    draft: str = "",
) -> Response[Any] | Template | Redirect:
    """After a post: the list for htmx, the thread on the order page (303) for a plain form; a
    refusal keeps what was written and says why, nothing sent."""
    user = user_of(request)
    order = await readable_order(public_id, user)
    problem = error.message if error else None
    status = error.status if error else 200
    if wants_fragment(request):
        return await thread_fragment(
            request, order, user, posted=True, problem=problem, status_code=status
        )
    if error is None:
        return Redirect(thread_anchor(public_id), status_code=303)
    page = await order_page(request, user, order, status_code=status)
    if "thread" in page.context:
        page.context["thread"] = with_problem(page.context["thread"], problem, draft)
    return page


class ThreadController(Controller):
    path = "/orders/{public_id:uuid}/messages"
    guards = [signed_in]

    @get("/")
    async def messages(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID]
    ) -> Response[Any] | Template | Redirect:
        """The list an order page polls; a 304 when nothing changed for this viewer."""
        user = user_of(request)
        order = await readable_order(public_id, user)
        if not wants_fragment(request):
            return Redirect(thread_anchor(public_id), status_code=303)
        return await thread_fragment(request, order, user)

    @post("/", status_code=200)
    async def send(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Response[Any] | Template | Redirect:
        user = user_of(request)
        body = str(data.get("body", ""))

        async def send() -> Outcome:
            await send_message(public_id, user.account_id, user.role, body)
            return Outcome(status=303, location=thread_anchor(public_id))

        try:
            await once(await claim_of(request), send)
        except (TrackingError, KeyRefused) as error:
            return await answer(request, public_id, error, draft=body)
        return await answer(request, public_id)
