"""Where pushes may go: the browsers' push services only, never this server's own network.

A subscription's endpoint comes from the browser, so it is untrusted input that makes the
worker send an HTTP request. It is accepted only as `https` on a push service below, and at
send time the address the connection is made to must be public; redirects are not followed
(see sender.py). `PUSH_ALLOW_LOCAL_ENDPOINTS` (tests and development only) also lets through
loopback endpoints such as the local push receiver of the tests, and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

ENDPOINT_MAX = 1000
# Exact hosts, and (with a leading dot) every host under a domain.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Android browsers, Edge on Android, Opera, Samsung Internet
    ".push.services.mozilla.com",  # Firefox (Mozilla autopush: updates.push.services.mozilla.com)
    ".push.apple.com",  # Safari and iPhone home-screen apps (web.push.apple.com)
    ".notify.windows.com",  # Edge on Windows (WNS: wns2-*.notify.windows.com)
)
LOOPBACK_NAMES = ("localhost",)
# Printable ASCII without spaces, quotes, angle brackets or backslashes: what browsers send,
# and nothing two URL parsers could read differently.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EndpointRefused(ValueError):
    """The endpoint is not a push service we send to; `reason` says why (for the logs)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedAddress(OSError):
    """A push service's name resolved to an address we never connect to."""


def allowed_host(host: str) -> bool:
    return any(
        host.endswith(entry) and len(host) > len(entry) if entry.startswith(".") else host == entry
        for entry in PUSH_SERVICE_HOSTS
    )


def is_loopback_host(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(endpoint: Any, *, allow_local: bool = False) -> str:
    """The endpoint's host, when pushes may be sent to it; else EndpointRefused."""
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= ENDPOINT_MAX:
        raise EndpointRefused("not a string of at most 1000 characters")
    if not URL_CHARACTERS.fullmatch(endpoint):
        raise EndpointRefused("characters outside a plain URL")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise EndpointRefused(f"not a URL: {error}") from error
    host = (parts.hostname or "").lower()
    if "@" in parts.netloc:
        raise EndpointRefused("a user name in the URL")
    if allow_local and is_loopback_host(host) and parts.scheme in ("http", "https"):
        return host
    if parts.scheme != "https":
        raise EndpointRefused("not https")
    if port not in (None, 443):
        raise EndpointRefused(f"port {port}")
    if not allowed_host(host):
        raise EndpointRefused(f"{host or 'no host'} is not a browser push service")
    return host


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a 6to4 or NAT64 address leads to, if it is one."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_allowed(text: str, *, allow_local: bool = False) -> bool:
    """Whether a connection to this IP address may be made: public unicast only (loopback too
    when local endpoints are allowed). Private, link-local (cloud metadata), shared, reserved,
    multicast and unspecified addresses are refused, in IPv4 and IPv6 alike."""
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            text.split("%", 1)[0]
        )
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the IPv4 address itself, on a dual-stack socket
            return address_allowed(str(address.ipv4_mapped), allow_local=allow_local)
        inner = embedded_ipv4(address)
        if inner is not None and not address_allowed(str(inner)):
            return False
    if allow_local and address.is_loopback:
        return True
    return bool(
        address.is_global
        and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )
    )


class PublicResolver(AbstractResolver):
    """DNS answers with every non-public address left out; none left: RefusedAddress. The
    connector connects to exactly these answers, so a name cannot change its address between
    the check and the connection."""

    def __init__(self, *, allow_local: bool = False) -> None:
        self.resolver = ThreadedResolver()
        self.allow_local = allow_local

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self.resolver.resolve(host, port, family)
        allowed = [
            answer
            for answer in answers
            if address_allowed(answer["host"], allow_local=self.allow_local)
        ]
        if not allowed:
            raise RefusedAddress(f"{host} resolves only to addresses we do not send to")
        return allowed

    async def close(self) -> None:
        await self.resolver.close()


def guarded_socket_factory(*, allow_local: bool = False) -> Any:
    """aiohttp's socket_factory: the last check, on the very address being connected to
    (literal IP hosts never go through the resolver)."""

    def make_socket(addr_info: Any) -> socket.socket:
        family, type_, proto, _, address = addr_info
        if not address_allowed(str(address[0]), allow_local=allow_local):
            raise RefusedAddress(f"{address[0]} is not a public address")
        return socket.socket(family=family, type=type_, proto=proto)

    return make_socket
