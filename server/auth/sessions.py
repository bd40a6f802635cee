"""Signed-in devices: database rows behind an opaque cookie, with a 30-day sliding expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from server.accounts.tables import Account, AccountStatus, Role
from server.accounts.tokens import hash_token, new_token
from server.auth.tables import Session
from server.clock import now

SESSION_COOKIE = "cl_session"
SESSION_LIFETIME = timedelta(days=30)
# Refresh the expiry at most once a day, so reading pages does not write on every request.
TOUCH_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class CurrentUser:
    """Who is signed in, as the routes and templates see it."""

    account_id: int
    public_id: UUID
    role: Role
    name: str
    phone: str
    locale: str | None
    timezone: str
    session_id: int
    session_public_id: UUID
    session_method: str
    # As the session was read: the bell shows it on every page (server.notifications.bell).
    unread_notifications: int = 0

    def __str__(self) -> str:
        return f"account {self.account_id} ({self.role})"


def describe_device(user_agent: str) -> str:
    """A short, human label: 'Chrome di Android' style, from the User-Agent."""
    agent = user_agent or ""
    browser = next(
        (name for key, name in BROWSERS if key in agent),
        "Browser",
    )
    system = next((name for key, name in SYSTEMS if key in agent), "")
    return f"{browser} · {system}" if system else browser


BROWSERS = [
    ("SamsungBrowser", "Samsung Internet"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


async def start_session(account_id: int, user_agent: str, method: str) -> str:
    """A new signed-in device; returns the token for the cookie (never stored as is)."""
    token = new_token()
    await Session.insert(
        Session(
            token_hash=hash_token(token),
            account=account_id,
            device=describe_device(user_agent)[:200],
            method=method,
            expires_at=now() + SESSION_LIFETIME,
        )
    )
    return token


# Every signed-in request asks this, so it is one hand-written statement: the session, its
# account and the bell's unread count. The table and column names are Piccolo's (tables.py).
LOAD_SESSION = """
SELECT s.id, s.public_id, s.method, s.last_seen_at, s.expires_at,
       a.id AS account_id, a.public_id AS account_public_id, a.role, a.name, a.phone,
       a.locale, a.timezone, a.status,
       (SELECT COUNT(*) FROM "notification" n WHERE n.account = a.id AND n.read_at IS NULL)
           AS unread_notifications
FROM "session" s JOIN "account" a ON a.id = s.account
WHERE s.token_hash = {}
"""


async def load_session(token: str) -> CurrentUser | None:
    rows = await Session.raw(LOAD_SESSION, hash_token(token))
    row = rows[0] if rows else None
    current = now()
    if row is None or row["expires_at"] <= current:
        return None
    if row["status"] != AccountStatus.ACTIVE:
        return None
    if current - row["last_seen_at"] > TOUCH_AFTER:
        await Session.update(
            {Session.last_seen_at: current, Session.expires_at: current + SESSION_LIFETIME}
        ).where(Session.id == row["id"])
    return CurrentUser(
        account_id=row["account_id"],
        public_id=row["account_public_id"],
        role=Role(row["role"]),
        name=row["name"],
        phone=row["phone"],
        locale=row["locale"],
        timezone=row["timezone"],
        session_id=row["id"],
        session_public_id=row["public_id"],
        session_method=row["method"],
        unread_notifications=int(row["unread_notifications"]),
    )


async def end_session(token: str) -> None:
    await Session.delete().where(Session.token_hash == hash_token(token))


async def list_sessions(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Session.select(
            Session.public_id,
            Session.device,
            Session.method,
            Session.created_at,
            Session.last_seen_at,
        )
        .where((Session.account == account_id) & (Session.expires_at > now()))
        .order_by(Session.last_seen_at, ascending=False)
    )
    return rows


async def revoke_session(account_id: int, public_id: UUID) -> bool:
    rows = await (
        Session.delete()
        .where((Session.account == account_id) & (Session.public_id == public_id))
        .returning(Session.id)
    )
    return bool(rows)


async def revoke_other_sessions(account_id: int, keep_session_id: int) -> int:
    rows = await (
        Session.delete()
        .where((Session.account == account_id) & (Session.id != keep_session_id))
        .returning(Session.id)
    )
    return len(rows)


async def revoke_all_sessions(account_id: int) -> None:
    await Session.delete().where(Session.account == account_id)


async def account_exists(account_id: int) -> bool:
    return bool(await Account.exists().where(Account.id == account_id))
