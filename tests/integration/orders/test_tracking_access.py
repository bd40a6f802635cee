"""Nobody but an order's two parties (and admins) reads its timeline or its photos: not by the
page, not by the polled fragment, not by the image URL."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.media.tables import Photo
from tests.builders.orders import Deal, deal
from tests.builders.people import signed_in, signed_in_admin
from tests.helpers import HX, post_form, post_multipart
from tests.images import jpeg_with_gps

SECRET_NOTE = "Kain batik tulis dari Pekalongan sudah datang"


async def order_with_photo(stack: AsyncExitStack, app: Litestar) -> tuple[Deal, str]:
    order = await deal(stack, app)
    response = await post_multipart(
        order.tailor_client,
        f"{order.url}/stages",
        {"stage": "materials_received", "note": SECRET_NOTE},
        {"photo": ("kain.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 303
    photo = await Photo.select(Photo.public_id).where(Photo.kind == "progress").first()
    return order, str(photo["public_id"])


async def reads(client: Any, order: Deal, photo: str) -> dict[str, int | bool]:
    page = await client.get(order.url, follow_redirects=False)
    region = await client.get(f"{order.url}/production", headers=HX, follow_redirects=False)
    small = await client.get(f"/media/{photo}/small.webp", follow_redirects=False)
    large = await client.get(f"/media/{photo}/large.webp", follow_redirects=False)
    return {
        "page_shows_timeline": SECRET_NOTE in page.text or photo in page.text,
        "region": region.status_code,
        "small": small.status_code,
        "large": large.status_code,
    }


async def test_the_two_parties_read_the_timeline_and_its_photos(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order, photo = await order_with_photo(stack, app)
    expected = {"page_shows_timeline": True, "region": 200, "small": 200, "large": 200}
    assert await reads(order.designer_client, order, photo) == expected
    assert await reads(order.tailor_client, order, photo) == expected


async def test_an_admin_reads_them_too(app: Litestar, stack: AsyncExitStack) -> None:
    order, photo = await order_with_photo(stack, app)
    admin = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(admin)
    assert await reads(admin, order, photo) == {
        "page_shows_timeline": True,
        "region": 200,
        "small": 200,
        "large": 200,
    }


async def test_another_tailor_sees_only_that_the_order_is_taken(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order, photo = await order_with_photo(stack, app)
    assert await reads(order.outsider_client, order, photo) == {
        "page_shows_timeline": False,
        "region": 404,
        "small": 404,
        "large": 404,
    }
    page = await order.outsider_client.get(order.url)
    assert "Sudah diambil penjahit lain" in page.text


async def test_another_designer_sees_nothing(app: Litestar, stack: AsyncExitStack) -> None:
    order, photo = await order_with_photo(stack, app)
    other = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in(other, "designer", "Rara Busana", "0813-7777-0000")
    result = await reads(other, order, photo)
    assert result == {"page_shows_timeline": False, "region": 404, "small": 404, "large": 404}
    assert (await other.get(order.url)).status_code == 404


async def test_a_visitor_is_sent_to_sign_in_and_gets_no_photo(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order, photo = await order_with_photo(stack, app)
    visitor = await stack.enter_async_context(AsyncTestClient(app=app))
    page = await visitor.get(order.url, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    region = await visitor.get(f"{order.url}/production", headers=HX, follow_redirects=False)
    assert region.status_code == 401
    assert (await visitor.get(f"/media/{photo}/small.webp")).status_code == 404


async def test_outsiders_cannot_act_on_the_order(app: Litestar, stack: AsyncExitStack) -> None:
    order = await deal(stack, app)
    before = (await order.row())["stage"]
    stage = await post_form(
        order.outsider_client,
        f"{order.url}/stages",
        {"stage": "materials_received"},
        headers=HX,
    )
    assert stage.status_code == 404
    admin = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(admin)
    by_admin = await post_form(
        admin, f"{order.url}/stages", {"stage": "materials_received"}, headers=HX
    )
    assert by_admin.status_code == 404
    assert (await order.row())["stage"] == before
