"""The CSRF exemptions name whole paths: no route of the app skips the check by accident."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar

from server.app import CSRF_EXEMPT_PATHS, ROUTES
from server.demo import DemoController

# The routes that may skip the CSRF check, and a real path of each.
EXEMPT_ROUTES = {
    "/static/{digest:str}/{path:path}": "/static/0123456789ab/css/app.css",
    "/sw.js": "/sw.js",
    "/manifest.webmanifest": "/manifest.webmanifest",
    "/healthz": "/healthz",
    "/healthz/live": "/healthz/live",
    "/healthz/ready": "/healthz/ready",
    "/push/subscription-change": "/push/subscription-change",
}
# Values an attacker can put in a path parameter to make a path look like an exempt one.
LOOKALIKES = [
    "static",
    "sw.js",
    "swXjs",
    "healthz",
    "live",
    "ready",
    "manifest.webmanifest",
    "manifestXwebmanifest",
    "push",
    "subscription-change",
]
PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
EXEMPT = re.compile("|".join(CSRF_EXEMPT_PATHS))


def route_paths() -> list[str]:
    app = Litestar(route_handlers=[*ROUTES, DemoController], openapi_config=None)
    return sorted({route.path for route in app.routes})


def filled(template: str, value: str) -> str:
    def fill(match: re.Match[str]) -> str:
        kind = match.group(2)
        if kind == "uuid":
            return "0b7f6b6e-8f5c-4c39-9f3c-1d2e3f4a5b6c"
        if kind == "int":
            return "1"
        return f"/{value}/{value}" if kind == "path" else value

    return PARAMETER.sub(fill, template).replace("//", "/")


@pytest.mark.parametrize("pattern", CSRF_EXEMPT_PATHS)
def test_each_exemption_is_anchored_at_both_ends(pattern: str) -> None:
    assert pattern.startswith("^")
    assert pattern.endswith("$")


@pytest.mark.parametrize("template", route_paths())
def test_only_the_exempt_routes_skip_csrf(template: str) -> None:
    for value in LOOKALIKES:
        path = filled(template, value)
        assert bool(EXEMPT.search(path)) == (template in EXEMPT_ROUTES), path


@pytest.mark.parametrize(("template", "path"), EXEMPT_ROUTES.items())
def test_each_exemption_matches_only_its_own_path(template: str, path: str) -> None:
    matching = [pattern for pattern in CSRF_EXEMPT_PATHS if re.search(pattern, path)]
    assert len(matching) == 1, (path, matching)
    lookalikes = [f"/payments{path}", f"/orders/x{path}/received", path.upper()]
    if "{" not in template:  # a fixed path: nothing may follow it or stand in for its dot
        lookalikes += [f"{path}/received", f"{path}x", path.replace(".", "X")]
    for lookalike in lookalikes:
        if lookalike != path:
            assert not EXEMPT.search(lookalike), lookalike


def test_every_exemption_names_a_route_of_the_app() -> None:
    templates = route_paths()
    assert set(EXEMPT_ROUTES) <= set(templates)
    for pattern in CSRF_EXEMPT_PATHS:
        assert any(re.search(pattern, path) for path in EXEMPT_ROUTES.values()), pattern
