"""One place decides: full page or htmx fragment."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import MediaType, Request
from litestar.response import Template

VARY = {"Vary": "HX-Request"}


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """A targeted htmx request gets a block; a plain, boosted or history-restore one the page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def render(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    block: str = "content",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    all_headers = {**VARY, **(headers or {})}
    if wants_fragment(request):
        return HTMXBlockTemplate(
            template_name=template_name,
            block_name=block,
            context=context,
            status_code=status_code,
            headers=all_headers,
            media_type=MediaType.HTML,
        )
    # Explicit: a handler annotated `-> Any` would otherwise label the page as JSON.
    return Template(
        template_name=template_name,
        context=context,
        status_code=status_code,
        headers=all_headers,
        media_type=MediaType.HTML,
    )
