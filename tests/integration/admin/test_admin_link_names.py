"""On every admin screen, two links that go to different places never share a name."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html.parser import HTMLParser
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.admin.cohorts import CohortForm, create_cohort
from tests.builders.people import MET_AT_TRAINING, certificate_of, signed_in_admin, tailor


class Links(HTMLParser):
    """Each link's accessible name (aria-label, else its text and images' alt) and target."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.open: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in named:
            self.open.append({"href": named["href"], "label": named.get("aria-label"), "text": []})
        elif tag == "img" and self.open:
            self.open[-1]["text"].append(named.get("alt", ""))

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1]["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open:
            link = self.open.pop()
            name = link["label"] or " ".join("".join(link["text"]).split())
            self.links.append((name, link["href"]))


def same_name_different_targets(html: str) -> dict[str, set[str]]:
    parser = Links()
    parser.feed(html)
    targets: dict[str, set[str]] = defaultdict(set)
    for name, href in parser.links:
        targets[name].add(href)
    return {name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1}


async def admin_pages(app: Litestar) -> list[str]:
    account_id = await tailor("Siti Rahayu", "0812-3456-7001", certificate=app, **MET_AT_TRAINING)
    certificate = await certificate_of(account_id)
    cohort = await create_cohort(
        CohortForm("Pelatihan Bandung I", "BDI Bandung", "32", date.today(), date.today(), "")
    )
    return [
        "/admin",
        "/admin/targets",
        "/admin/verifications",
        f"/admin/verifications/{certificate['public_id']}",
        "/admin/disputes",
        "/admin/tailors",
        "/admin/cohorts",
        "/admin/cohorts/new",
        f"/admin/cohorts/{cohort}",
        "/admin/accounts",
        "/admin/accounts/new",
        "/account",
        "/notifications",
    ]


async def test_admin_links_have_distinct_names_for_distinct_places(
    client: AsyncTestClient[Any], app: Litestar
) -> None:
    await signed_in_admin(client)
    for url in await admin_pages(app):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert same_name_different_targets(response.text) == {}, url


async def test_own_account_and_account_management_are_told_apart(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_admin(client)
    parser = Links()
    parser.feed((await client.get("/admin")).text)
    assert ("Akun", "/account") in parser.links
    assert ("Kelola akun", "/admin/accounts") in parser.links
