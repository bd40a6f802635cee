"""The signed-in pages people open most ask the database a bounded number of statements, all
on one connection: a page that grows a query per order shown, or per offer, fails here."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth.sessions import SESSION_COOKIE
from server.orders.production.stages import Stage
from tests.builders import orders, people
from tests.query_count import Tally

# Statements per page today, for the scene below; lower them as the pages get cheaper.
BUDGETS = {
    "/jobs (tailor)": 4,
    "/orders/{id} (designer)": 4,
    "/orders/{id} (tailor)": 5,
    "/home (designer)": 5,
    "/home (tailor)": 6,
}
Counter = Callable[[], AbstractContextManager[Tally]]


@dataclass(frozen=True)
class Scene:
    designer_token: str
    tailor_token: str
    order: UUID


async def busy_scene() -> Scene:
    """A tailor with work in production for a designer, three open orders near her (one she
    quoted on) and two she does not see: several of everything each page lists."""
    designer_id = await people.designer()
    tailor_id = await people.tailor(km=1.0, name="Siti")
    other = await people.tailor(km=2.0, name="Rina")
    order = await orders.in_production(designer_id, tailor_id, Stage.SEWING)
    await orders.in_production(designer_id, other, title="Kaos komunitas")
    await orders.with_offers(designer_id, [tailor_id, other], title="Kemeja flanel")
    for title in ("Seragam sekolah", "Kebaya wisuda"):
        await orders.order(designer_id, title=title)
    return Scene(await people.session_for(designer_id), await people.session_for(tailor_id), order)


async def spent_on(
    client: AsyncTestClient[Litestar], count_queries: Counter, token: str, path: str
) -> Tally:
    client.cookies.set(SESSION_COOKIE, token)
    await client.get(path)  # the first look may do the day's one-off work (the session touch)
    with count_queries() as used:
        response = await client.get(path)
    assert response.status_code == 200
    return used


@pytest.mark.parametrize("page", sorted(BUDGETS))
async def test_page_stays_within_its_query_budget_on_one_connection(
    client: AsyncTestClient[Litestar], count_queries: Counter, page: str
) -> None:
    scene = await busy_scene()
    path, role = page.split(" ")
    token = scene.tailor_token if role == "(tailor)" else scene.designer_token
    path = path.replace("{id}", str(scene.order))

    used = await spent_on(client, count_queries, token, path)

    assert used.queries <= BUDGETS[page], f"{page}: {used.queries} statements"
    assert used.connections == 1


async def test_a_file_asked_for_with_a_session_cookie_asks_nothing_of_the_database(
    client: AsyncTestClient[Litestar], count_queries: Counter
) -> None:
    scene = await busy_scene()
    client.cookies.set(SESSION_COOKIE, scene.tailor_token)
    page = await client.get("/jobs")
    css = re.search(r'href="(/static/[0-9a-f]{12}/css/app\.css)"', page.text)
    assert css is not None
    with count_queries() as used:
        response = await client.get(css.group(1))
    assert response.status_code == 200
    assert (used.queries, used.connections) == (0, 0)
