"""Rating the other party of a completed order: one POST, answered like every production
action (the region for htmx, the order page otherwise)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar.params import FromPath

from server.auth.guards import signed_in, user_of
from server.orders.production.routes import Answer, FormData, answer
from server.orders.reviews import services as reviews


class ReviewController(Controller):
    path = "/orders/{public_id:uuid}/reviews"
    guards = [signed_in]

    @post("/", status_code=200)
    async def rate(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Answer:
        """One of the two parties rates the other: 1-5 stars and an optional comment."""
        user = user_of(request)
        stars, comment = str(data.get("stars", "")), str(data.get("comment", ""))
        return await answer(
            request, public_id, reviews.rate(public_id, user.account_id, stars, comment)
        )
