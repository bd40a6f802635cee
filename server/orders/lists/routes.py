"""Pekerjaan saya: a tailor's orders in production, and those finished lately. The full page is
kept by the service worker for reading offline."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from server.auth.guards import tailor_only, user_of
from server.orders.lists.summary import RECENT_DAYS, tailor_work
from server.orders.page.tailor import offline_headers
from server.web.render import render


class WorkListController(Controller):
    path = "/work"
    guards = [tailor_only]

    @get("/")
    async def work(self, request: Request[Any, Any, Any]) -> Template:
        return render(
            request,
            "orders/work_list.html",
            block="work_list",
            headers=offline_headers(request),
            work=await tailor_work(user_of(request).account_id),
            recent_days=RECENT_DAYS,
        )
