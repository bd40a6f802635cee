"""Is a request from this machine itself? Demo mode answers nobody else."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from litestar.types import Scope

# Headers a proxy, tunnel or CDN adds when it relays someone else's request.
FORWARDING_HEADERS = frozenset(
    {
        b"forwarded",
        b"via",
        b"x-real-ip",
        b"x-client-ip",
        b"x-cluster-client-ip",
        b"true-client-ip",
        b"cf-connecting-ip",
        b"fastly-client-ip",
        b"x-original-forwarded-for",
    }
)


def is_loopback_host(host: str) -> bool:
    """`localhost` or a loopback address (127.0.0.0/8, ::1, ::ffff:127.x), bracketed or not."""
    host = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_loopback_origin(origin: str) -> bool:
    """http(s)://localhost, 127.0.0.1 or [::1], any port, nothing after it."""
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and parts.hostname is not None
        and is_loopback_host(parts.hostname)
        and parts.path in ("", "/")
        and not parts.username
    )


def is_local_request(scope: Scope) -> bool:
    """A loopback peer, no proxy's forwarding headers, and a loopback Host: a browser on this
    machine talking to this server directly. The Host check also stops DNS rebinding, where a
    web page on another name reaches the local server through the visitor's own browser."""
    client = scope.get("client")
    if not client or not is_loopback_host(str(client[0])):
        return False
    host = ""
    for name, value in scope["headers"]:
        if name in FORWARDING_HEADERS or name.startswith(b"x-forwarded-"):
            return False
        if name == b"host":
            host = value.decode("latin-1")
    try:
        hostname = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    return hostname is not None and is_loopback_host(hostname)
