"""Typed settings read from the environment, with safe defaults."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from server.files import PRIVATE_FILE, private_directory, tighten

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MINUTE = 60
HOUR = 3600
PERIODS = {"second": 1, "minute": MINUTE, "hour": HOUR, "day": 24 * HOUR}


@dataclass(frozen=True)
class Limit:
    """`count` requests per `period` seconds on average, `burst` of them at once."""

    count: int
    period: int
    burst: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """`240/hour` or `240/hour,60` (the burst; the count when not given)."""
        rate, _comma, burst = text.replace(" ", "").partition(",")
        count, _slash, unit = rate.partition("/")
        if unit not in PERIODS or not count.isdigit() or not (burst or count).isdigit():
            raise ValueError(f"a rate limit reads like 240/hour or 240/hour,60, not {text!r}")
        limit = cls(int(count), PERIODS[unit], int(burst or count))
        if limit.count < 1 or limit.burst < 1:
            raise ValueError(f"a rate limit allows at least one request, not {text!r}")
        return limit


@dataclass(frozen=True)
class RateLimits:
    """Every rate limit, by name (server/web/ratelimit.py says which routes use which).

    Per client address: generous, as an Indonesian carrier puts many phones behind one address.
    Per phone number: tight, as only its owner should try it. Per account: well above what a
    busy tailor or designer does in an hour, so only a script runs into them."""

    sign_in_per_client: Limit = Limit(1200, HOUR, burst=120)
    sign_in_per_phone: Limit = Limit(10, HOUR, burst=6)
    messages: Limit = Limit(240, HOUR, burst=60)
    offers: Limit = Limit(120, HOUR, burst=30)
    orders: Limit = Limit(120, HOUR, burst=40)
    uploads: Limit = Limit(240, HOUR, burst=60)
    push_subscriptions: Limit = Limit(30, HOUR, burst=10)
    data_downloads: Limit = Limit(20, HOUR, burst=5)  # the personal data file: a large read

    @classmethod
    def uniform(cls, limit: Limit) -> RateLimits:
        """The same limit everywhere (tests)."""
        return cls(**{item.name: limit for item in fields(cls)})

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimits:
        """`RATE_LIMIT_MESSAGES=240/hour,60` and so on, one variable per field."""
        given = {
            item.name: Limit.parse(value)
            for item in fields(cls)
            if (value := env.get(f"RATE_LIMIT_{item.name.upper()}"))
        }
        return replace(cls(), **given)


@dataclass(frozen=True)
class MediaSettings:
    """Where photos are kept: `local`, the folder DATA_DIR/media on this host; `s3`, a bucket
    of S3-compatible object storage that every host shares (operator configuration only: the
    server reaches no address a user gave)."""

    store: str = "local"
    s3_endpoint: str = ""  # empty: AWS itself; otherwise e.g. https://s3.example.net
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    # Empty: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
    s3_access_key: str = ""
    s3_secret_key: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MediaSettings:
        """`MEDIA_STORE`, `MEDIA_S3_BUCKET` and so on, one variable per field."""
        given = {
            item.name: value.strip()
            for item in fields(cls)
            if (value := env.get(f"MEDIA_{item.name.upper()}"))
        }
        media = replace(cls(), **given)
        return replace(media, store=media.store.lower())


YES = ("1", "true", "yes")
NO = ("0", "false", "no")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Each default is written here once; `from_env` reads a field's default from here."""

    database_url: str
    data_dir: Path
    public_origin: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    demo: bool = False
    database_pool_size: int = 10  # connections kept per process (both engines); 0: one per query
    vapid_private_key: str | None = None  # PEM; generated into data_dir when not given
    vapid_subject: str = "mailto:admin@clothingline.invalid"
    push_worker: bool = True  # send pushes from this process (`clothingline worker` elsewhere)
    # Tests and development only: pushes may also go to loopback endpoints (a local receiver).
    push_allow_local_endpoints: bool = False
    rate_limits: RateLimits = field(default_factory=RateLimits)
    # Where rate limits count: "database" (shared by every process on it) or "memory" (this
    # process only); empty: the database on PostgreSQL, memory on SQLite.
    rate_limit_store: str = ""
    media: MediaSettings = field(default_factory=MediaSettings)
    dispatch_wave_minutes: int = 10  # wait before alerting a wider circle of tailors
    dispatch_wave_size: int = 50  # tailors alerted per wave at most
    poll_seconds: int = 10  # how often an open order page asks whether anything changed

    @property
    def rp_id(self) -> str:
        """The WebAuthn relying party id: the public origin's host."""
        return urlsplit(self.public_origin).hostname or "localhost"

    @property
    def recovery_code_key(self) -> bytes:
        return derive_key(self.secret_key, "recovery-codes")

    @property
    def postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def shared_rate_limits(self) -> bool:
        """Whether rate limits count in the database rather than in this process."""
        if self.rate_limit_store not in ("", "database", "memory"):
            raise ValueError(
                f"RATE_LIMIT_STORE is database or memory, not {self.rate_limit_store!r}"
            )
        return self.rate_limit_store == "database" or (not self.rate_limit_store and self.postgres)

    @property
    def secure_cookies(self) -> bool:
        return self.public_origin.startswith("https://")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Each field from its upper-case variable (`PORT`, `LOG_LEVEL`…); an unset or empty
        variable leaves the field's default. A flag leaves its default only on a clear word:
        1/true/yes turns an off flag on, 0/false/no turns an on flag off."""
        env = os.environ if env is None else env
        default: dict[str, Any] = {item.name: item.default for item in fields(cls)}

        def text(name: str) -> str:
            return str(env.get(name.upper()) or default[name])

        def number(name: str) -> int:
            return int(env.get(name.upper()) or default[name])

        def flag(name: str) -> bool:
            value = (env.get(name.upper()) or "").lower()
            if not value:
                return bool(default[name])
            return value not in NO if default[name] else value in YES

        port = number("port")
        return cls(
            database_url=database_url_from_env(env),
            host=text("host"),
            port=port,
            data_dir=data_dir_from_env(env),
            public_origin=(env.get("PUBLIC_ORIGIN") or f"http://localhost:{port}").rstrip("/"),
            secret_key=secret_key_from_env(env),
            log_level=text("log_level"),
            demo=flag("demo"),
            rate_limits=RateLimits.from_env(env),
            rate_limit_store=text("rate_limit_store").lower(),
            media=MediaSettings.from_env(env),
            database_pool_size=number("database_pool_size"),
            vapid_private_key=env.get("VAPID_PRIVATE_KEY") or default["vapid_private_key"],
            vapid_subject=text("vapid_subject"),
            push_worker=flag("push_worker"),
            push_allow_local_endpoints=flag("push_allow_local_endpoints"),
            dispatch_wave_minutes=number("dispatch_wave_minutes"),
            dispatch_wave_size=number("dispatch_wave_size"),
        )


class LocalPushRefused(RuntimeError):
    pass


def origin_is_loopback(origin: str) -> bool:
    host = (urlsplit(origin).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_local_push(settings: Settings) -> None:
    """PUSH_ALLOW_LOCAL_ENDPOINTS is for a test or development run: never on a public server."""
    if settings.push_allow_local_endpoints and not origin_is_loopback(settings.public_origin):
        raise LocalPushRefused(
            "PUSH_ALLOW_LOCAL_ENDPOINTS is for tests and development only: PUBLIC_ORIGIN "
            f"{settings.public_origin} is not a loopback address"
        )


class SharedSecretsMissing(RuntimeError):
    pass


SHARED_SECRETS = ("SECRET_KEY", "VAPID_PRIVATE_KEY")


def several_processes(env: Mapping[str, str]) -> bool:
    """Whether this process may be one of several: on PostgreSQL, the README's deployment for
    several processes and hosts (SQLite is one file on one host, with one DATA_DIR)."""
    return database_url_from_env(env).startswith(("postgres://", "postgresql://"))


def check_shared_secrets(env: Mapping[str, str]) -> None:
    """Processes that each made their own keys in their DATA_DIR would refuse each other's
    forms (CSRF) and sign pushes differently: one of several must be given the keys."""
    missing = [name for name in SHARED_SECRETS if not env.get(name)]
    if missing and several_processes(env):
        raise SharedSecretsMissing(
            f"{' and '.join(missing)} must be set on PostgreSQL, where several processes or "
            "hosts may serve: the same value in every process (README, Settings)"
        )


def data_dir_from_env(env: Mapping[str, str]) -> Path:
    return Path(env.get("DATA_DIR") or PROJECT_ROOT / "data").resolve()


def database_url_from_env(env: Mapping[str, str]) -> str:
    default = f"sqlite:///{data_dir_from_env(env) / 'clothingline.sqlite'}"
    return env.get("DATABASE_URL") or default


def secret_key_from_env(env: Mapping[str, str]) -> str:
    return env.get("SECRET_KEY") or read_or_create_secret(data_dir_from_env(env) / "secret_key")


def derive_key(secret_key: str, purpose: str) -> bytes:
    """A key of its own for each use of SECRET_KEY (CSRF tokens use it as it is)."""
    label = f"clothingline:{purpose}".encode()
    return hmac.new(secret_key.encode(), label, hashlib.sha256).digest()


def read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    """Return the secret stored at `path`, generating it (mode 0600) on first use."""
    private_directory(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        tighten(path)
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        value = secrets.token_urlsafe(nbytes)
        handle.write(value)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
