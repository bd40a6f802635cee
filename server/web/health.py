"""Health checks for a load balancer or a supervisor.

- `/healthz/live`: liveness, the process answers; it asks nothing of the database, so a
  database outage does not make a supervisor restart every process.
- `/healthz/ready`: readiness, the process and its database answer; the balancer routes pages
  only to ready processes. `/healthz` is the same check, kept for existing set-ups.
"""

from typing import Any

from litestar import Request, Response, get

from server.db import current_engine, database_is_up

NO_STORE = {"Cache-Control": "no-store"}


@get("/healthz/live", include_in_schema=False)
async def live(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    return Response({"status": "ok"}, headers=NO_STORE)


@get(["/healthz", "/healthz/ready"], include_in_schema=False)
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    up = await database_is_up(current_engine())
    return Response(
        {"status": "ok" if up else "unavailable", "database": "ok" if up else "unreachable"},
        status_code=200 if up else 503,
        headers=NO_STORE,
    )
