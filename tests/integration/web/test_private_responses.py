"""What the browser may keep: nothing said to a signed-in person (pages, fragments, polls,
photos, exports) is stored; public files keep their long life; sign-out empties the cache."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth.sessions import SESSION_COOKIE, start_session
from server.media.services import store_photo
from server.web.middleware import account_key
from tests.builders.orders import deal
from tests.builders.people import signed_in_admin
from tests.helpers import HX, post_form
from tests.images import jpeg_with_gps

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py make_settings


async def test_pages_fragments_polls_and_photos_of_a_member_are_no_store(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    client = order.tailor_client

    page = await client.get(order.url)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-account"] == account_key(SECRET, order.tailor_id)

    fragment = await client.get(f"{order.url}/production", headers=HX)
    assert fragment.status_code == 200
    assert fragment.headers["cache-control"] == "no-store"
    assert "x-account" not in fragment.headers  # the worker never files fragments
    unchanged = await client.get(
        f"{order.url}/production", headers={**HX, "If-None-Match": fragment.headers["etag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["cache-control"] == "no-store"

    photo = await store_photo(app.state.media, order.designer_id, "order", jpeg_with_gps())
    picture = await order.designer_client.get(f"/media/{photo['public_id']}/small.webp")
    assert picture.status_code == 200
    assert picture.headers["cache-control"] == "no-store"

    home = await client.get("/")  # a public page, shown to a member: still theirs
    assert home.headers["cache-control"] == "no-store"


async def test_an_export_for_an_admin_is_no_store(client: AsyncTestClient[Any]) -> None:
    await signed_in_admin(client)
    response = await client.get("/admin/tailors.csv")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


async def test_the_account_key_is_stable_per_account_and_hides_the_id(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    designer = (await order.designer_client.get("/home")).headers["x-account"]
    tailor = (await order.tailor_client.get("/home")).headers["x-account"]
    assert designer != tailor
    assert re.fullmatch(r"[0-9a-f]{32}", designer)
    other_phone = await stack.enter_async_context(AsyncTestClient(app=app))
    token = await start_session(order.designer_id, "Chrome on Android", "passkey")
    other_phone.cookies.set(SESSION_COOKIE, token)
    assert (await other_phone.get("/home")).headers["x-account"] == designer
    assert account_key("another-secret", order.designer_id) != designer


async def test_public_files_and_visitor_pages_keep_their_cache_life(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    css = app.state.assets.url("css/app.css")
    asset = await order.designer_client.get(css)
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "x-account" not in asset.headers
    manifest = await order.designer_client.get("/manifest.webmanifest")
    assert manifest.headers["cache-control"] == "public, max-age=3600"

    visitor = await stack.enter_async_context(AsyncTestClient(app=app))
    home = await visitor.get("/")
    assert home.status_code == 200
    assert "cache-control" not in home.headers
    assert "x-account" not in home.headers


async def test_sign_out_tells_the_browser_to_empty_its_cache(
    app: Litestar, stack: AsyncExitStack
) -> None:
    order = await deal(stack, app)
    response = await post_form(order.designer_client, "/auth/logout", {}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["clear-site-data"] == '"cache"'
    assert response.headers["location"] == "/login?signed_out=1"
    assert (await order.designer_client.get("/home", follow_redirects=False)).status_code == 303
