"""Over a socket, through uvicorn set up as `clothingline serve` sets it up: the limits count per
client address as uvicorn sees it, which is the proxy's X-Forwarded-For only when
FORWARDED_ALLOW_IPS trusts the peer."""

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from server.app import create_app
from server.cli import proxy_options
from server.settings import HOUR, Limit, Settings
from tests.processes import ThreadedServer, free_port

PROXY = "127.0.0.1"  # the tests' requests come from here, as a local reverse proxy's would
NOT_OUR_PROXY = "192.0.2.1"


def serve(settings: Settings) -> Iterator[str]:
    limits = dataclasses.replace(settings.rate_limits, sign_in_per_client=Limit(2, HOUR, burst=2))
    app = create_app(dataclasses.replace(settings, rate_limits=limits))
    port = free_port()
    with ThreadedServer(app, port, **proxy_options(None)):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def trusted_server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", PROXY)
    yield from serve(settings)


@pytest.fixture
def untrusting_server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", NOT_OUR_PROXY)
    yield from serve(settings)


def open_enrolment(url: str, client_address: str) -> int:
    headers = {"X-Forwarded-For": client_address}
    return httpx.get(f"{url}/enrol/not-a-real-token", headers=headers, timeout=10).status_code


def test_limit_counts_the_forwarded_client_behind_a_trusted_proxy(trusted_server: str) -> None:
    assert [open_enrolment(trusted_server, "203.0.113.7") for _ in range(3)] == [410, 410, 429]
    assert open_enrolment(trusted_server, "198.51.100.20") == 410


def test_forwarded_header_from_an_untrusted_peer_is_ignored(untrusting_server: str) -> None:
    assert [open_enrolment(untrusting_server, "203.0.113.7") for _ in range(2)] == [410, 410]
    # Another claimed address changes nothing: the peer itself is the client.
    assert open_enrolment(untrusting_server, "198.51.100.20") == 429
