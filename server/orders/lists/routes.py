"""Pekerjaan saya: a tailor's orders in production, and those finished lately. The full page is
kept by the service worker for reading offline."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from server.auth.guards import tailor_only, user_of
from server.orders.lists.summary import RECENT_DAYS, tailor_work
from server.orders.page.tailor import offline_headers
from server.web.conditional import etag_headers, unchanged, viewer_etag
from server.web.render import render


class WorkListController(Controller):
    path = "/work"
    guards = [tailor_only]

    @get("/")
    async def work(self, request: Request[Any, Any, Any]) -> Template | Response[bytes]:
        """A 304 when no line of the list changed for this tailor."""
        work = await tailor_work(user_of(request).account_id)
        tag = viewer_etag(request, work)
        if (not_modified := unchanged(request, tag)) is not None:
            return not_modified
        return render(
            request,
            "orders/work_list.html",
            block="work_list",
            headers={**offline_headers(request), **etag_headers(tag)},
            work=work,
            recent_days=RECENT_DAYS,
        )
