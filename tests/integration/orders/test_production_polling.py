"""The designer's open order page refreshes cheaply: a poll of an unchanged production region is a
304 with no body; a change, another viewer or another language makes another ETag."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from litestar import Litestar

from server.accounts.tables import Account
from server.orders.production.stages import Stage
from tests.builders.orders import Deal, deal, move_to
from tests.builders.people import signed_in_admin
from tests.helpers import HX, post_form


async def poll(deal: Deal, client: Any, etag: str | None = None) -> Any:
    headers = {**HX, **({"If-None-Match": etag} if etag else {})}
    return await client.get(f"{deal.url}/production", headers=headers)


async def test_an_unchanged_region_is_a_304_with_no_body(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    first = await poll(order, order.designer_client)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert f'"If-None-Match": "{etag.replace(chr(34), chr(92) + chr(34))}"' in first.text
    assert first.headers["cache-control"] == "no-store"
    again = await poll(order, order.designer_client, etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


async def test_a_new_stage_changes_the_etag(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    etag = (await poll(order, order.designer_client)).headers["etag"]
    await post_form(
        order.tailor_client, f"{order.url}/stages", {"stage": "materials_received"}, headers=HX
    )
    changed = await poll(order, order.designer_client, etag)
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert "Bahan diterima" in changed.text


async def test_each_viewer_gets_their_own_etag(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    admin_client = await stack.enter_async_context(type(order.designer_client)(app=app))
    await signed_in_admin(admin_client)
    designer = await poll(order, order.designer_client)
    tailor = await poll(order, order.tailor_client)
    admin = await poll(order, admin_client)
    tags = {designer.headers["etag"], tailor.headers["etag"], admin.headers["etag"]}
    assert len(tags) == 3
    assert "Posting: Bahan diterima" in tailor.text
    assert "Posting: Bahan diterima" not in designer.text
    # The tailor's version is not the designer's: it does not pass as unchanged.
    crossed = await poll(order, order.designer_client, tailor.headers["etag"])
    assert crossed.status_code == 200


async def test_another_language_is_another_etag(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    indonesian = await poll(order, order.designer_client)
    await Account.update({Account.locale: "en"}).where(Account.id == order.designer_id)
    english = await poll(order, order.designer_client, indonesian.headers["etag"])
    assert english.status_code == 200
    assert "In production" in english.text


async def test_a_finished_order_stops_polling(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    live = await order.designer_client.get(order.url)
    assert "data-poll=" in live.text
    await move_to(order, Stage.COMPLETED)
    finished = await order.designer_client.get(order.url)
    assert "data-poll=" not in finished.text.split('class="production"')[1].split("</section>")[0]


async def test_the_region_url_outside_htmx_leads_to_the_page(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    response = await order.designer_client.get(f"{order.url}/production", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == order.url
