"""Cancellation routes: ask, withdraw, accept, refuse. Only the order's two parties act (anyone
else gets the same 404 as for a missing order); each answer is the production region again
(htmx) or the order page (303)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar.params import FromPath

from server.auth.guards import signed_in, user_of
from server.orders.cancellations import services as cancellations
from server.orders.production.routes import Answer, FormData, answer


class CancellationController(Controller):
    path = "/orders/{public_id:uuid}/cancellation"
    guards = [signed_in]

    @post("/", status_code=200)
    async def ask(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Answer:
        user = user_of(request)
        reason = str(data.get("reason", ""))
        return await answer(
            request,
            public_id,
            cancellations.request_cancellation(public_id, user.account_id, reason),
        )

    @post("/withdraw", status_code=200)
    async def withdraw(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Answer:
        user = user_of(request)
        return await answer(
            request, public_id, cancellations.withdraw_cancellation(public_id, user.account_id)
        )

    @post("/accept", status_code=200)
    async def accept(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Answer:
        user = user_of(request)
        return await answer(
            request, public_id, cancellations.accept_cancellation(public_id, user.account_id)
        )

    @post("/refuse", status_code=200)
    async def refuse(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Answer:
        user = user_of(request)
        note = str(data.get("note", ""))
        return await answer(
            request,
            public_id,
            cancellations.refuse_cancellation(public_id, user.account_id, note),
        )
