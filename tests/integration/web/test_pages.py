import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import HX, csrf_token, post_form


async def test_home_page_speaks_indonesian_by_default(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="id"' in response.text
    assert "Order jahit untuk penjahit bersertifikat" in response.text
    assert "Seperti ojek online, tapi untuk penjahit." in response.text


async def test_home_page_follows_accept_language(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"})
    assert '<html lang="en"' in response.text
    assert "Sewing orders for certified tailors, near you" in response.text


async def test_old_android_language_code_means_indonesian(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/", headers={"Accept-Language": "in-ID,en;q=0.5"})
    assert '<html lang="id"' in response.text


async def test_language_switch_sets_cookie_and_returns(client: AsyncTestClient[Any]) -> None:
    response = await post_form(
        client, "/language", {"lang": "en", "next": "/offline"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/offline"
    page = await client.get("/", headers={"Accept-Language": "id"})
    assert '<html lang="en"' in page.text


async def test_language_switch_never_redirects_off_site(client: AsyncTestClient[Any]) -> None:
    response = await post_form(
        client, "/language", {"lang": "en", "next": "//evil.example/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/"


async def test_language_switch_without_csrf_token_is_refused_kindly(
    client: AsyncTestClient[Any],
) -> None:
    await csrf_token(client)
    response = await client.post("/language", data={"lang": "en"})
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in response.text
    assert "lang=" not in response.headers.get("set-cookie", "")


async def test_pages_send_security_headers(client: AsyncTestClient[Any]) -> None:
    for path in ("/", "/offline", "/no-such-page"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_static_files_carry_a_short_policy_that_forbids_everything(
    client: AsyncTestClient[Any],
) -> None:
    """A dozen files come with a first visit: the page headers would weigh ~5 KB on it. A file
    opened on its own (an SVG is a document then) may still load and run nothing."""
    page = await client.get("/offline")
    for asset in re.findall(r"/static/[0-9a-f]+/[a-z0-9/._-]+\.(?:js|css|svg|png)", page.text):
        response = await client.get(asset)
        assert response.status_code == 200, asset
        csp = response.headers["content-security-policy"]
        assert csp == "default-src 'none'; frame-ancestors 'none'; sandbox", asset
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "permissions-policy" not in response.headers
        assert "cross-origin-opener-policy" not in response.headers
    missing = await client.get("/static/0000000000/js/none.js")
    assert missing.status_code == 404
    assert "default-src 'self'" in missing.headers["content-security-policy"]


async def test_pages_are_compressed_with_brotli_or_gzip(client: AsyncTestClient[Any]) -> None:
    brotli_response = await client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert brotli_response.headers["content-encoding"] == "br"
    gzip_response = await client.get("/", headers={"Accept-Encoding": "gzip"})
    assert gzip_response.headers["content-encoding"] == "gzip"
    assert "Clothing Line" in gzip_response.text


async def test_page_and_fragment_from_one_url(client: AsyncTestClient[Any]) -> None:
    full = await client.get("/offline")
    fragment = await client.get("/offline", headers=HX)
    boosted = await client.get("/offline", headers={**HX, "HX-Boosted": "true"})
    assert "HX-Request" in full.headers["vary"]
    assert "<html" in full.text and "<html" in boosted.text
    assert "<html" not in fragment.text
    assert "Anda sedang offline" in fragment.text
