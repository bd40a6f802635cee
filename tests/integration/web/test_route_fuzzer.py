"""No input reaches a 500: every route of the app's own route table (a new route is fuzzed
without touching this file), for a visitor, a verified tailor, a designer and an admin, gets
hypothesis-made requests (path parameters, query strings, form, multipart and JSON bodies,
headers; wrong types, huge and empty values, unicode, NUL, invalid UTF-8) among real orders in
every state. Any 5xx fails with the route, the role and the request that caused it.

A bounded number of examples per route and role keeps this inside CI's time;
HYPOTHESIS_PROFILE=thorough runs many more."""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from server.app import create_app
from server.auth.sessions import SESSION_COOKIE
from server.settings import Settings
from tests.conftest import empty_tables, make_settings
from tests.integration.web.fuzz_inputs import Endpoint, Probe, probes, shorten, vocabulary
from tests.integration.web.fuzz_world import ROLES, World, build_world, signed_in_as

EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 5
SKIPPED_METHODS = {"HEAD", "OPTIONS"}  # answered by Litestar itself from the others


def route_table() -> list[Endpoint]:
    """Every method of every HTTP route the app serves, read from the app itself, in a fixed
    order (pytest-xdist workers must collect the same list; a route's methods are a set)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_settings("sqlite:///:memory:", Path(folder)))
    endpoints = [
        Endpoint(
            str(method),
            route.path,
            tuple(
                (name, parameter.type.__name__) for name, parameter in route.path_parameters.items()
            ),
            handler,
        )
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method, (handler, _kwargs) in route.route_handler_map.items()
        if method not in SKIPPED_METHODS
    ]
    return sorted(endpoints, key=lambda endpoint: (endpoint.path, endpoint.method))


ENDPOINTS = route_table()


@dataclass
class Fuzz:
    app: Litestar
    client: TestClient[Litestar]
    world: World
    csrf: str


class Crashes(logging.Handler):
    """The tracebacks the app logged for its 500s, to print beside the request."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.seen.append("".join(traceback.format_exception(*record.exc_info)))


def unlimited(given: Settings) -> Settings:
    """Rate limits so high the fuzzer reaches the handlers (a 429 would be no failure, only a
    route left unexplored)."""
    raised = {
        field.name: 1_000_000
        for field in dataclasses.fields(given)
        if "rate_limit" in field.name and isinstance(getattr(given, field.name), int)
    }
    return dataclasses.replace(given, **raised)


@pytest.fixture(scope="module")
def fuzz(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    empty_tables(database_url)
    # A pool is safe here: the app, the world and the sessions all run on the client's loop.
    given = make_settings(database_url, tmp_path_factory.mktemp("fuzz"), pool_size=4)
    app = create_app(unlimited(given))
    with TestClient(app=app) as client:
        world = client.blocking_portal.call(build_world, app)
        client.get("/")
        yield Fuzz(app, client, world, str(client.cookies["csrftoken"]))


def describe(endpoint: Endpoint, role: str, probe: Probe, status: int, crashes: list[str]) -> str:
    return (
        f"{status} from {endpoint} as {role}\n  {probe.method} {shorten(probe.url)}\n"
        f"  headers: {shorten(dict(probe.headers))}\n  body: {shorten(probe.body)}\n"
        f"  form: {shorten(probe.form)}\n  files: {shorten(probe.files)}\n" + "".join(crashes[-1:])
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_input_reaches_a_500(
    fuzz: Fuzz, endpoint: Endpoint, role: str, request: pytest.FixtureRequest
) -> None:
    client, world = fuzz.client, fuzz.world
    words = vocabulary(endpoint)
    crashes = Crashes()

    def sign_in() -> None:
        client.cookies.clear()
        client.cookies.set("csrftoken", fuzz.csrf)
        token = client.blocking_portal.call(signed_in_as, world, role)
        if token is not None:
            client.cookies.set(SESSION_COOKIE, token)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(probes(endpoint, words, world.uuids, world.tokens, fuzz.csrf))
    def probe_route(probe: Probe) -> None:
        if SESSION_COOKIE not in client.cookies and role != "visitor":
            sign_in()
        crashes.seen.clear()
        response = client.request(
            probe.method,
            probe.url,
            headers=list(probe.headers),
            content=probe.body,
            data=dict(probe.form) or None,
            files=list(probe.files) or None,
            follow_redirects=False,
        )
        assert response.status_code < 500, describe(
            endpoint, role, probe, response.status_code, crashes.seen
        )

    # One example database entry per route and role, not one shared by all of them.
    probe_route.hypothesis.inner_test._hypothesis_internal_add_digest = request.node.nodeid.encode()  # type: ignore[attr-defined]
    logger = logging.getLogger()
    logger.addHandler(crashes)
    try:
        sign_in()
        probe_route()
    finally:
        logger.removeHandler(crashes)
