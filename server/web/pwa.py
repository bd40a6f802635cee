"""What makes Clothing Line an installable, offline-capable app: manifest and service worker."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from litestar import Request, Response, get

from server.settings import PROJECT_ROOT
from server.web.assets import AssetCatalogue
from server.web.i18n import get_locale
from server.web.i18n import gettext as _
from server.web.templates import COMPONENTS_DIR

SERVICE_WORKER_SOURCE = PROJECT_ROOT / "service_worker" / "sw.js"
THEME_COLOUR = "#312e81"
BACKGROUND_COLOUR = "#ffffff"

# The shell the service worker keeps for offline use.
PRECACHED_ASSETS = (
    "css/app.css",
    "js/app.js",
    "js/passkeys.js",
    "js/push.js",
    "js/outbox.js",
    "js/outbox-page.js",
    "js/photos.js",
    "vendor/htmx-2.0.11.min.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/badge-72.png",  # the small monochrome glyph in the status bar of an alert
)
OFFLINE_URL = "/offline"
# The outbox's store and replay, shared by the pages and the worker (Background Sync).
OUTBOX_SCRIPT = "js/outbox.js"


def manifest(assets: AssetCatalogue) -> dict[str, Any]:
    return {
        "id": "/",
        "name": "Clothing Line",
        "short_name": "Clothing Line",
        "description": _("Sewing work for SKKNI-certified tailors, near you."),
        "lang": get_locale(),
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["business", "productivity"],
        "icons": [
            {"src": assets.url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": assets.url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": assets.url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


def templates_fingerprint() -> str:
    digest = hashlib.sha256()
    for file in sorted(COMPONENTS_DIR.rglob("*.html")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def service_worker_script(assets: AssetCatalogue) -> str:
    """sw.js with its version, precache list and outbox script in front: a new deploy means a
    new worker."""
    source = SERVICE_WORKER_SOURCE.read_text()
    precache = [assets.url(path) for path in PRECACHED_ASSETS] + [OFFLINE_URL]
    version = hashlib.sha256(
        (source + assets.fingerprint + templates_fingerprint()).encode()
    ).hexdigest()[:12]
    header = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const PRECACHE_URLS = {json.dumps(precache)};\n"
        f"const OFFLINE_URL = {json.dumps(OFFLINE_URL)};\n"
        f"const OUTBOX_URL = {json.dumps(assets.url(OUTBOX_SCRIPT))};\n"
    )
    return header + source


@get("/manifest.webmanifest", sync_to_thread=False, include_in_schema=False)
def web_manifest(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    return Response(
        manifest(request.app.state.assets),
        media_type="application/manifest+json",
        headers={"Cache-Control": "public, max-age=3600", "Vary": "Accept-Language"},
    )


@get("/sw.js", sync_to_thread=False, include_in_schema=False)
def service_worker(request: Request[Any, Any, Any]) -> Response[str]:
    return Response(
        request.app.state.service_worker,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
