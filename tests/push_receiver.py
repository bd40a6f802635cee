"""A local push service: plays the browsers' push servers for tests and benchmarks.

Each `subscription()` is a new "browser" (a P-256 key pair and a 16-byte auth secret) whose
endpoint is this receiver on 127.0.0.1. Every request is recorded; `payload()` decrypts it as
the browser would (aes128gcm) and `vapid()` checks the Authorization header (RFC 8292). Answers
are 201 unless scripted with `answer(404, Reply(429, {"Retry-After": "120"}), 500, ...)`.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DAY_S = 24 * 3600


def b64encode(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def b64decode(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Reply:
    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Browser:
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    def subscription(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page."""
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64encode(point), "auth": b64encode(self.auth_secret)},
        }


@dataclass(frozen=True)
class Vapid:
    claims: dict[str, Any]
    key: str  # the application server's public key, base64url


@dataclass(frozen=True)
class ReceivedPush:
    endpoint: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    status: int  # what the receiver answered
    browser: Browser | None
    origin: str

    def payload(self) -> dict[str, Any]:
        assert self.browser is not None, f"no subscription has the endpoint {self.endpoint}"
        assert self.headers.get("content-encoding") == "aes128gcm"
        plain = http_ece.decrypt(
            self.body,
            private_key=self.browser.private_key,
            auth_secret=self.browser.auth_secret,
            version="aes128gcm",
        )
        data: dict[str, Any] = json.loads(plain)
        return data

    def vapid(self) -> Vapid:
        """The verified VAPID claims: ES256 signature by `k`, aud = this origin, exp ≤ 24 h."""
        scheme, _, params = self.headers.get("authorization", "").partition(" ")
        assert scheme.lower() == "vapid", f"not a VAPID Authorization: {scheme!r}"
        values = dict(part.strip().split("=", 1) for part in params.split(","))
        header_b64, claims_b64, signature_b64 = values["t"].split(".")
        assert json.loads(b64decode(header_b64))["alg"] == "ES256"
        signature = b64decode(signature_b64)
        assert len(signature) == 64
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64decode(values["k"])
        )
        public_key.verify(  # raises InvalidSignature
            encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            ),
            f"{header_b64}.{claims_b64}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
        claims: dict[str, Any] = json.loads(b64decode(claims_b64))
        assert claims["aud"] == self.origin
        assert time.time() < claims["exp"] <= time.time() + DAY_S
        assert claims.get("sub")
        return Vapid(claims=claims, key=values["k"])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 drops SYNs when a worker opens 50 connections


class PushReceiver:
    """Use as a context manager; the HTTP server runs in its own threads."""

    def __init__(self) -> None:
        self.received: list[ReceivedPush] = []
        self.browsers: dict[str, Browser] = {}
        self.replies: deque[Reply] = deque()
        self.replies_to: dict[str, deque[Reply]] = {}
        self.condition = threading.Condition()
        self.server = Server(("127.0.0.1", 0), self.handler_class())
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PushReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def browser(self) -> Browser:
        browser = Browser(
            endpoint=f"{self.origin}/push/{secrets.token_urlsafe(16)}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=secrets.token_bytes(16),
        )
        self.browsers[browser.endpoint] = browser
        return browser

    def subscription(self) -> dict[str, Any]:
        return self.browser().subscription()

    def answer(self, *replies: int | Reply, endpoint: str | None = None) -> None:
        """Script the next answers (to one endpoint, or to any), in order; after them, 201."""
        with self.condition:
            queue = self.replies_to.setdefault(endpoint, deque()) if endpoint else self.replies
            queue.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def to(self, endpoint: str) -> list[ReceivedPush]:
        with self.condition:
            return [push for push in self.received if push.endpoint == endpoint]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedPush]:
        with self.condition:
            self.condition.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Reply:
        endpoint = self.origin + path
        with self.condition:
            queue = self.replies_to.get(endpoint) or self.replies
            reply = queue.popleft() if queue else Reply()
        push = ReceivedPush(
            endpoint, headers, body, reply.status, self.browsers.get(endpoint), self.origin
        )
        if reply.delay:
            time.sleep(reply.delay)
        with self.condition:
            self.received.append(push)
            self.condition.notify_all()
        return reply

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as push services do

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                reply = receiver.handle(self.path, headers, body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
