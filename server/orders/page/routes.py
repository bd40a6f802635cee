"""GET /orders/{id}: one address for an order, shown as each viewer needs it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Template

from server.accounts.tables import Role
from server.auth.guards import designer_only, signed_in
from server.auth.sessions import CurrentUser
from server.orders.page import designer as designer_views
from server.orders.page import tailor as tailor_views
from server.orders.parties import order_by_public_id
from server.orders.posting import routes as designer_routes
from server.orders.records import OrderRecord


async def order_page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    order: OrderRecord,
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    """The page as this viewer may see it (also after a refused action, with `problem`)."""
    if user.role == Role.ADMIN or order.designer == user.account_id:
        return await designer_views.order_page(
            request, user, order, problem=problem, status_code=status_code
        )
    if user.role == Role.TAILOR:
        return await tailor_views.order_page(
            request, user, order, problem=problem, status_code=status_code
        )
    raise NotFoundException()


class OrderPageController(Controller):
    guards = [signed_in]

    @get("/orders/{public_id:uuid}")
    async def show(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Template:
        """The owner and admins see everything; tailors see the order, never others' offers;
        anyone else gets the same 404 as for an order that does not exist."""
        user: CurrentUser = request.scope["user"]
        order = await order_by_public_id(public_id)
        if order is None:
            raise NotFoundException()
        return await order_page(request, user, order)

    @post("/orders/{public_id:uuid}", guards=[designer_only], status_code=303)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        public_id: FromPath[UUID],
        data: Annotated[
            dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)
        ],
    ) -> Any:
        """The owner changes an open order (here: one path cannot span two controllers)."""
        return await designer_routes.edit(request, public_id, data)
