"""What the designer (and an admin) sees of an order: status first, then the offers or the
assignment, the facts, and why nobody has answered yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from server import regions
from server.accounts.tables import Role
from server.auth.sessions import CurrentUser
from server.garments import category_labels
from server.orders.dispatching.report import dispatch_log, dispatch_report
from server.orders.offers.comparison import SORTS, live_offers
from server.orders.page.production import order_page_context
from server.orders.parties import assigned_tailor
from server.orders.posting.checks import order_as_form
from server.orders.posting.forms import SIZES, OrderForm
from server.orders.posting.services import order_photos
from server.orders.records import OrderRecord
from server.orders.tables import OrderMode, OrderStatus
from server.regions import City, Province
from server.web.render import render


@dataclass(frozen=True)
class OrderFacts:
    """The order as tailors read it: shared by the preview and the order page."""

    category: str
    sizes: list[tuple[str, int]]
    custom_sizes: str
    city: City | None
    province: Province | None
    total: int


def facts(order: OrderRecord | OrderForm) -> OrderFacts:
    """The facts of a posted order, or of a checked form the designer previews."""
    if isinstance(order, OrderForm):
        sizes: dict[str, Any] = {**order.sizes, "custom": order.custom_sizes}
    else:
        sizes = order.sizes or {}
    city = regions.city(order.city_code)
    return OrderFacts(
        category=category_labels().get(order.category, order.category),
        sizes=[(size, sizes[size]) for size in SIZES if sizes.get(size)],
        custom_sizes=str(sizes.get("custom") or ""),
        city=city,
        province=regions.province(city.province_code) if city else None,
        total=order.quantity * order.budget_per_piece,
    )


def as_order(form: OrderForm) -> OrderForm:
    """What the preview shows as the order: the checked form reads as one (title, quantity,
    budget_per_piece, deadline...), and `facts` takes it as it is."""
    return form


async def order_page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    order: OrderRecord,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    sort = request.query_params.get("sort", "price")
    sort = sort if sort in SORTS else "price"
    is_open = order.status == OrderStatus.OPEN
    offers = await live_offers(order, sort) if is_open else []
    in_production = bool(order.stage)
    production = await order_page_context(request, order, user) if in_production else None
    return render(
        request,
        "orders/designer_order.html",
        block="offers",
        status_code=status_code,
        order=order,
        facts=facts(order),
        photos=production.reference_photos if production else await order_photos(order.id),
        is_owner=order.designer == user.account_id,
        is_admin=user.role == Role.ADMIN,
        is_open=is_open,
        bidding=order.mode == OrderMode.BIDDING,
        offers=offers,
        sort=sort,
        sorts=SORTS,
        # In production the thread's read has the tailor already.
        tailor=production.thread.tailor if production is not None else await assigned_tailor(order),
        report=await dispatch_report(order) if is_open else None,
        log=await dispatch_log(order.id) if user.role == Role.ADMIN else {},
        edit=form if form is not None else order_as_form(order),
        errors=errors or {},
        problem=problem,
        sizes=SIZES,
        in_production=in_production,
        **(vars(production) if production is not None else {}),
    )
