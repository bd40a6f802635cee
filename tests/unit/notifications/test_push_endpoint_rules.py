"""Which endpoints and addresses pushes may go to."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.notifications.endpoints import (
    PUSH_SERVICE_HOSTS,
    EndpointRefused,
    address_allowed,
    allowed_host,
    check_endpoint,
)

REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 (an address refused, not bound)
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "240.0.0.1",  # reserved
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2001:db8::1",  # documentation
    "not an address",
]
PUBLIC_ADDRESSES = ["142.250.4.95", "8.8.8.8", "2607:f8b0:4004:c1b::5f", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_no_push_goes_to_a_local_private_or_reserved_address(address: str) -> None:
    assert not address_allowed(address)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address)


def test_local_endpoints_add_loopback_and_nothing_else() -> None:
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert address_allowed(address, allow_local=True)
    for address in set(REFUSED_ADDRESSES) - {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"}:
        assert not address_allowed(address, allow_local=True), address


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("fcm.googleapis.com", True),
        ("updates.push.services.mozilla.com", True),
        ("web.push.apple.com", True),
        ("wns2-par02p.notify.windows.com", True),
        ("push.services.mozilla.com", False),  # the domain itself hosts no endpoints
        ("notify.windows.com", False),
        ("googleapis.com", False),
        ("evilfcm.googleapis.com", False),
        ("xpush.apple.com", False),
        ("fcm.googleapis.com.attacker.example", False),
        ("push.apple.com.attacker.example", False),
    ],
)
def test_the_allow_list(host: str, allowed: bool) -> None:
    assert allowed_host(host) is allowed


@given(st.text(max_size=300) | st.from_regex(r"https?://[^/]{0,40}/.{0,40}", fullmatch=True))
def test_an_accepted_endpoint_is_https_on_a_push_service(endpoint: str) -> None:
    try:
        host = check_endpoint(endpoint)
    except EndpointRefused:
        return
    parts = urlsplit(endpoint)
    assert parts.scheme == "https" and parts.port in (None, 443) and "@" not in parts.netloc
    assert host == parts.hostname and allowed_host(host)


@given(st.sampled_from(PUSH_SERVICE_HOSTS), st.text(max_size=40))
def test_a_suffix_of_an_allowed_host_is_not_enough(entry: str, prefix: str) -> None:
    host = f"{prefix}{entry.lstrip('.')}.attacker.example"
    with pytest.raises(EndpointRefused):
        check_endpoint(f"https://{host}/x")
