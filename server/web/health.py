from typing import Any

from litestar import Request, Response, get

from server.db import current_engine, database_is_up


@get("/healthz", include_in_schema=False)
async def healthz(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    up = await database_is_up(current_engine())
    return Response(
        {"status": "ok" if up else "unavailable", "database": "ok" if up else "unreachable"},
        status_code=200 if up else 503,
        headers={"Cache-Control": "no-store"},
    )
