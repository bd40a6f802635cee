import json
import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_static_files_have_hashed_immutable_urls(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/")
    css_url = re.search(r'href="(/static/[0-9a-f]{12}/css/app\.css)"', page.text)
    assert css_url
    response = await client.get(css_url.group(1), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "br"
    assert ":root" in response.text
    assert "set-cookie" not in response.headers


async def test_static_file_with_stale_digest_is_not_cached_for_long(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.get("/static/000000000000/css/app.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


async def test_unknown_static_file_is_404(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/static/000000000000/../server/settings.py")
    assert response.status_code == 404
    response = await client.get("/static/000000000000/css/missing.css")
    assert response.status_code == 404


async def test_vendored_htmx_is_2_0_11(client: AsyncTestClient[Any], app: Litestar) -> None:
    asset = app.state.assets.get("vendor/htmx-2.0.11.min.js")
    response = await client.get(asset.url)
    assert 'version:"2.0.11"' in response.text


async def test_manifest_makes_the_app_installable(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/"
    assert manifest["start_url"].startswith("/")
    assert manifest["lang"] == "id"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = await client.get(icon["src"])
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"
        assert len(image.content) < 4096


async def test_service_worker_is_served_at_root_scope(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/sw.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    precache = json.loads(re.search(r"const PRECACHE_URLS = (\[.*\]);", response.text).group(1))
    assert "/offline" in precache
    assert any(
        re.fullmatch(r"/static/[0-9a-f]{12}/vendor/htmx-2\.0\.11\.min\.js", u) for u in precache
    )
    for url in precache:
        assert (await client.get(url)).status_code == 200
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', response.text)


async def test_home_page_is_marked_for_offline_reading(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/")).headers["offline-cache"] == "page"
    assert "offline-cache" not in (await client.get("/offline")).headers
