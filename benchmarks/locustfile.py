"""The people of a load run (benchmarks/load.py): tailors, designers and visitors.

Each signed-in user holds a session of its own, started for a demo account before the run
(`sessions` on each class), and finds its way as a person would: order links come from the
pages it was shown, the offer form's fields from the order page. Importing this module
monkey-patches the standard library for gevent, as importing locust does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import cycle
from typing import ClassVar

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser, ResponseContextManager

from server.auth.sessions import SESSION_COOKIE

ORDER_LINK = re.compile(r'href="(/orders/[0-9a-f-]{36})"')
STATIC_LINK = re.compile(r'"(/static/[0-9a-f]+/[^"]+)"')
# What a browser asks for a page and what htmx adds for a fragment.
PAGE = {"Accept": "text/html", "Accept-Encoding": "br, gzip"}
FRAGMENT = {**PAGE, "HX-Request": "true"}
FIRST_VISITS = 1 / 3  # of the landing page's visits, those that fetch its files


class OfferForm(HTMLParser):
    """The named fields of the order page's offer form, as the page filled them in."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("action") or "").endswith("/offers"):
            self.action, self._inside = found["action"], True
        elif tag == "input" and self._inside and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


class Person(FastHttpUser):
    """A phone on a slow network: reads a page, then the next one a second or two later."""

    abstract = True
    wait_time = between(0.5, 2.5)
    sessions: ClassVar[Iterator[str]] = iter(())
    token = ""

    def on_start(self) -> None:
        self.token = next(type(self).sessions)

    def headers(self, kind: dict[str, str]) -> dict[str, str]:
        """The session cookie beside what the server set (the CSRF token)."""
        jar = [f"{cookie.name}={cookie.value}" for cookie in self.client.cookiejar]
        return {**kind, "Cookie": "; ".join([*jar, f"{SESSION_COOKIE}={self.token}"])}

    def page(self, path: str, name: str) -> str:
        with self.client.get(
            path, name=name, headers=self.headers(PAGE), catch_response=True
        ) as response:
            return expect(response, 200)


class Tailor(Person):
    """Scrolls the jobs near them, opens one, sometimes offers; checks their work and home."""

    weight = 5
    orders: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.orders = []

    @task(6)
    def jobs(self) -> None:
        self.orders = ORDER_LINK.findall(self.page("/jobs", "/jobs")) or self.orders

    @task(3)
    def order(self) -> None:
        if not self.orders:
            return self.jobs()
        body = self.page(random.choice(self.orders), "/orders/{id} (tailor)")
        if random.random() < 0.15:
            self.offer(body)

    def offer(self, order_page: str) -> None:
        """The form as the page filled it (the budget, the latest date), now and then cheaper."""
        form = OfferForm()
        form.feed(order_page)
        if form.action is None:  # a Langsung order, or one they may not answer
            return
        fields = dict(form.fields)
        price = int(fields.get("price_per_piece") or 0)
        fields["price_per_piece"] = str(price - random.choice((0, 0, 500, 1000)))
        with self.client.post(
            form.action,
            data=fields,
            name="POST /orders/{id}/offers",
            headers=self.headers(FRAGMENT),
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(1)
    def work(self) -> None:
        self.page("/work", "/work")

    @task(1)
    def home(self) -> None:
        self.page("/home", "/home (tailor)")
        with self.client.get(
            "/jobs/summary",
            name="/jobs/summary",
            headers=self.headers(FRAGMENT),
            catch_response=True,
        ) as response:
            expect(response, 200)


class Designer(Person):
    """Looks at home, their order list, and the orders on it (offers, production)."""

    weight = 2
    orders: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.orders = []

    @task(2)
    def home(self) -> None:
        self.page("/home", "/home (designer)")

    @task(2)
    def order_list(self) -> None:
        self.orders = ORDER_LINK.findall(self.page("/orders", "/orders")) or self.orders

    @task(4)
    def order(self) -> None:
        if not self.orders:
            return self.order_list()
        self.page(random.choice(self.orders), "/orders/{id} (designer)")


class Visitor(Person):
    """Someone on the landing page: the page, and on a first visit the files it names (later
    visits have them cached: they are immutable)."""

    weight = 3
    sessions = cycle([""])

    @task
    def landing(self) -> None:
        body = self.page("/", "/")
        if random.random() < FIRST_VISITS:
            for path in sorted(set(STATIC_LINK.findall(body))):
                self.client.get(path, name="/static/*", headers=PAGE)
            self.client.get("/sw.js", name="/sw.js", headers=PAGE)
            self.client.get("/manifest.webmanifest", name="/manifest.webmanifest", headers=PAGE)

    def headers(self, kind: dict[str, str]) -> dict[str, str]:
        return kind  # signed out: nothing but what the server sets


def expect(response: ResponseContextManager, status: int) -> str:
    """The body, or a failure in the run's statistics when the status is another."""
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}")
        return ""
    return response.text or ""
