"""The programme dashboard and its per-province targets."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from server import regions
from server.admin import dashboard
from server.admin.charts import bar_chart
from server.admin.disputes import open_count as open_disputes
from server.admin.refusals import AdminError
from server.admin.verification import pending_count
from server.auth.guards import admin_only
from server.web import i18n
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class AdminDashboardController(Controller):
    path = "/admin"
    guards = [admin_only]

    @get("/")
    async def dashboard(self, request: Request[Any, Any, Any]) -> Template:
        today = i18n.local_today()
        progress = await dashboard.programme_progress(today)
        return render(
            request,
            "admin/dashboard.html",
            progress=progress,
            chart=bar_chart([(row.name, row.certified, row.target) for row in progress.provinces]),
            weeks=await dashboard.weekly_activity(today, i18n.get_timezone()),
            pending=await pending_count(),
            suspended=await dashboard.suspended_count(),
            disputes=await open_disputes(),
        )

    async def targets_page(
        self,
        request: Request[Any, Any, Any],
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
    ) -> Template:
        """The targets form; `errors` holds a refusal code per province code (all at once)."""
        refusals = [AdminError(code, field) for field, code in (errors or {}).items()]
        return render(
            request,
            "admin/targets.html",
            status_code=max((refusal.status for refusal in refusals), default=200),
            national=dashboard.NATIONAL,
            provinces=regions.provinces(),
            values=values,
            errors={refusal.field: refusal.message for refusal in refusals},
            target_max=dashboard.TARGET_MAX,
        )

    @get("/targets")
    async def targets(self, request: Request[Any, Any, Any]) -> Template:
        return await self.targets_page(request, dict(await dashboard.targets()))

    @post("/targets", status_code=303)
    async def save_targets(self, request: Request[Any, Any, Any], data: FormData) -> Any:
        values, errors = dashboard.parse_targets(data)
        if errors:
            submitted = {code: data.get(f"target-{code}", "") for code in dashboard.target_codes()}
            return await self.targets_page(request, submitted, errors)
        await dashboard.save_targets(values)
        return Redirect("/admin", status_code=303)
