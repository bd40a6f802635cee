"""Payment routes: the designer sets the DP share and marks payments paid, the tailor confirms
they arrived. The service checks which party may do what; others get the order's 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar.params import FromPath

from server.auth.guards import signed_in, user_of
from server.orders.payments import services as payments
from server.orders.production.routes import (
    STAGE_UPLOAD_LIMIT,
    Answer,
    FormData,
    answer,
    answer_with_photo,
)
from server.web.forms import Multipart


class PaymentController(Controller):
    path = "/orders/{public_id:uuid}/payments"
    guards = [signed_in]

    @post("/percent", status_code=200)
    async def change_percent(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Answer:
        """The designer: another DP share, while neither payment is marked paid."""
        user = user_of(request)
        percent = str(data.get("percent", ""))
        return await answer(
            request, public_id, payments.change_percent(public_id, user.account_id, percent)
        )

    @post("/{kind:str}/paid", request_max_body_size=STAGE_UPLOAD_LIMIT, status_code=200)
    async def mark_paid(
        self,
        request: Request[Any, Any, Any],
        public_id: FromPath[UUID],
        kind: FromPath[str],
        data: Multipart,
    ) -> Answer:
        """The designer: this payment was transferred (kind "dp" or "final"), proof optional."""
        user = user_of(request)
        return await answer_with_photo(
            request,
            public_id,
            data.get("proof"),
            lambda image: payments.mark_paid(
                public_id, user.account_id, kind, image=image, store=request.app.state.media
            ),
        )

    @post("/{kind:str}/received", status_code=200)
    async def confirm_received(
        self,
        request: Request[Any, Any, Any],
        public_id: FromPath[UUID],
        kind: FromPath[str],
    ) -> Answer:
        """The tailor: the money marked paid arrived."""
        user = user_of(request)
        return await answer(
            request, public_id, payments.confirm_received(public_id, user.account_id, kind)
        )
