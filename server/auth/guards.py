"""Route guards: a visitor is sent to sign in (401), a wrong role is refused (403).

Coroutines, though they await nothing: Litestar runs a plain function guard in a worker thread,
a hand-off per guarded request for a check that reads the scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from server.accounts.tables import Role
from server.auth.sessions import CurrentUser

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def user_of(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser:
    """The signed-in person, on a route a guard already let through."""
    user = current_user(connection)
    assert user is not None
    return user


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if current_user(connection) is None:
        raise NotAuthorizedException()


def role_required(*roles: Role) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if user.role not in roles:
            raise PermissionDeniedException()

    return guard


tailor_only = role_required(Role.TAILOR)
designer_only = role_required(Role.DESIGNER)
admin_only = role_required(Role.ADMIN)
