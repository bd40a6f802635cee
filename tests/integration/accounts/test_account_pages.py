import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.accounts.tokens import hash_token
from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Passkey, Session
from server.web import i18n
from tests.builders.passkeys import sign_in
from tests.builders.people import signed_in
from tests.conftest import TEST_ORIGIN
from tests.helpers import HX, indonesian, post_form, post_json
from tests.webauthn_device import SoftAuthenticator

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
LABEL_REFUSED = indonesian("Give the passkey a name of 1 to 60 characters.", html=False)
LAST_PASSKEY = indonesian("You cannot remove your only passkey. Add another one first.", html=False)
NOT_FOUND = indonesian("That item does not exist.", html=False)


async def sign_up(
    client: AsyncTestClient[Any],
    device: SoftAuthenticator,
    user_agent: str = ANDROID_CHROME,
    phone: str = "0812-3456-7890",
) -> int:
    """Register a tailor on `client`; the id of the new account."""
    account = await signed_in(
        client, "tailor", "Siti Rahayu", phone, device=device, user_agent=user_agent
    )
    return int(account["id"])


async def add_passkey(client: AsyncTestClient[Any], device: SoftAuthenticator, agent: str) -> Any:
    options = await post_json(client, "/auth/register/options", {}, headers={"user-agent": agent})
    assert options.status_code == 200, options.text
    credential = device.create(options.json(), TEST_ORIGIN)
    return await post_json(
        client, "/auth/register/verify", credential, headers={"user-agent": agent}
    )


async def passkeys_of(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Passkey.select(Passkey.public_id, Passkey.label, Passkey.created_at, Passkey.last_used_at)
        .where(Passkey.account == account_id)
        .order_by(Passkey.created_at)
    )
    return rows


async def sessions_of(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Session.select().where(Session.account == account_id)
    return rows


def local_time(moment: datetime) -> str:
    i18n.set_locale("id")
    i18n.set_timezone(i18n.DEFAULT_TIMEZONE)
    return i18n.format_datetime(moment)


def list_items(html: str) -> list[str]:
    return re.findall(r'<li class="row".*?</li>', html, flags=re.DOTALL)


def session_cookie_attributes(response: Any) -> set[str]:
    [cookie] = [
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith(f"{SESSION_COOKIE}=")
    ]
    return {part.strip().lower() for part in cookie.split(";")}


async def is_signed_in(client: AsyncTestClient[Any]) -> bool:
    response = await client.get("/home", follow_redirects=False)
    if response.status_code == 303:
        assert response.headers["location"] == "/login?next=%2Fhome"
        return False
    assert response.status_code == 200
    return True


# Passkeys -----------------------------------------------------------------------------------


async def test_passkeys_page_lists_label_added_and_last_used_time(
    client: AsyncTestClient[Any],
) -> None:
    device = SoftAuthenticator()
    account_id = await sign_up(client, device)
    assert (await sign_in(client, device)).status_code == 200

    response = await client.get("/account/passkeys")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    [passkey] = await passkeys_of(account_id)
    [item] = list_items(response.text)
    assert passkey["label"] == "Chrome · Android"
    assert 'value="Chrome · Android"' in item
    assert f"Ditambahkan {local_time(passkey['created_at'])}" in item
    assert f"terakhir dipakai {local_time(passkey['last_used_at'])}" in item


async def test_adding_a_second_passkey_lists_two(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    response = await add_passkey(client, SoftAuthenticator(), WINDOWS_EDGE)
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/account/passkeys", "issue_recovery_codes": False}

    labels = [row["label"] for row in await passkeys_of(account_id)]
    assert labels == ["Chrome · Android", "Edge · Windows"]
    first, second = list_items((await client.get("/account/passkeys")).text)
    assert 'value="Edge · Windows"' in second and "belum pernah dipakai" in second
    assert "Hapus Chrome · Android" in first  # with two, either may go
    assert len(await sessions_of(account_id)) == 1  # adding a passkey is not a new sign-in


async def test_rename_passkey_as_full_page(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    [passkey] = await passkeys_of(account_id)
    response = await post_form(
        client, f"/account/passkeys/{passkey['public_id']}/rename", {"label": "  HP   kerja "}
    )
    assert response.status_code == 200
    assert "<html" in response.text and 'value="HP kerja"' in response.text
    assert [row["label"] for row in await passkeys_of(account_id)] == ["HP kerja"]


async def test_rename_passkey_as_htmx_fragment(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    [passkey] = await passkeys_of(account_id)
    label = "x" * 60
    response = await post_form(
        client, f"/account/passkeys/{passkey['public_id']}/rename", {"label": label}, headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="passkey-list">')
    assert f'value="{label}"' in response.text
    assert [row["label"] for row in await passkeys_of(account_id)] == [label]


async def test_rename_passkey_refused_when_label_empty_or_too_long(
    client: AsyncTestClient[Any],
) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    [passkey] = await passkeys_of(account_id)
    url = f"/account/passkeys/{passkey['public_id']}/rename"
    for label in ("", "   ", "x" * 61):
        page = await post_form(client, url, {"label": label})
        assert page.status_code == 400, label
        assert "<html" in page.text and LABEL_REFUSED in page.text
        fragment = await post_form(client, url, {"label": label}, headers=HX)
        assert fragment.status_code == 400
        assert "<html" not in fragment.text and 'id="passkey-list"' in fragment.text
        assert LABEL_REFUSED in fragment.text
    english = await post_form(client, url, {"label": ""}, headers={"Accept-Language": "en"})
    assert "Give the passkey a name of 1 to 60 characters." in english.text
    assert [row["label"] for row in await passkeys_of(account_id)] == ["Chrome · Android"]


async def test_revoke_passkey_removes_it(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    await add_passkey(client, SoftAuthenticator(), WINDOWS_EDGE)
    first, second = await passkeys_of(account_id)
    response = await post_form(client, f"/account/passkeys/{second['public_id']}/delete", {})
    assert response.status_code == 200
    assert [row["public_id"] for row in await passkeys_of(account_id)] == [first["public_id"]]
    assert len(list_items(response.text)) == 1
    assert "Edge · Windows" not in response.text


async def test_revoke_last_passkey_is_refused(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    [passkey] = await passkeys_of(account_id)
    url = f"/account/passkeys/{passkey['public_id']}/delete"
    response = await post_form(client, url, {})
    assert response.status_code == 409
    assert LAST_PASSKEY in response.text
    fragment = await post_form(client, url, {}, headers=HX)
    assert fragment.status_code == 409
    assert "<html" not in fragment.text and LAST_PASSKEY in fragment.text
    assert len(await passkeys_of(account_id)) == 1


async def test_passkey_of_another_account_cannot_be_renamed_or_revoked(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    await add_passkey(client, SoftAuthenticator(), WINDOWS_EDGE)
    async with AsyncTestClient(app=app) as other:
        other_id = await sign_up(other, SoftAuthenticator(), IPHONE_SAFARI, "0813-9876-5432")
    [foreign] = await passkeys_of(other_id)

    renamed = await post_form(
        client, f"/account/passkeys/{foreign['public_id']}/rename", {"label": "Punyaku"}
    )
    assert renamed.status_code == 404
    assert NOT_FOUND in renamed.text
    revoked = await post_form(client, f"/account/passkeys/{foreign['public_id']}/delete", {})
    assert revoked.status_code == 404
    assert NOT_FOUND in revoked.text
    assert await passkeys_of(other_id) == [foreign]
    assert len(await passkeys_of(account_id)) == 2


# Signed-in devices --------------------------------------------------------------------------


async def test_sessions_page_lists_both_devices_and_marks_this_one(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    device = SoftAuthenticator()
    account_id = await sign_up(client, device)
    async with AsyncTestClient(app=app) as other:
        other.headers["user-agent"] = IPHONE_SAFARI
        assert (await sign_in(other, device)).status_code == 200

        response = await client.get("/account/sessions")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        items = list_items(response.text)
        assert len(items) == 2
        [current] = [item for item in items if "perangkat ini" in item]
        assert "Chrome · Android" in current
        assert "/delete" not in current  # this device signs out with the Sign out button
        [phone] = [item for item in items if "Safari · iPhone" in item]
        assert "perangkat ini" not in phone
        assert "Keluar dari semua perangkat lain" in response.text

        seen_from_phone = await other.get("/account/sessions")
        [current] = [item for item in list_items(seen_from_phone.text) if "perangkat ini" in item]
        assert "Safari · iPhone" in current
    assert len(await sessions_of(account_id)) == 2


async def test_revoking_the_other_session_signs_that_device_out(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    device = SoftAuthenticator()
    account_id = await sign_up(client, device)
    async with AsyncTestClient(app=app) as other:
        other.headers["user-agent"] = IPHONE_SAFARI
        await sign_in(other, device)
        assert await is_signed_in(other)
        page = await client.get("/account/sessions")
        [target] = re.findall(r'action="/account/sessions/([0-9a-f-]{36})/delete"', page.text)

        response = await post_form(client, f"/account/sessions/{target}/delete", {}, headers=HX)
        assert response.status_code == 200
        assert "<html" not in response.text and 'id="session-list"' in response.text
        assert "Safari · iPhone" not in response.text
        assert not await is_signed_in(other)
        assert await is_signed_in(client)
    [left] = await sessions_of(account_id)
    assert left["public_id"] != UUID(target)


async def test_revoking_this_session_goes_through_sign_out(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    [mine] = await sessions_of(account_id)
    response = await post_form(
        client, f"/account/sessions/{mine['public_id']}/delete", {}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (307, "/auth/logout")


async def test_sign_out_everywhere_else_leaves_only_this_session(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    device = SoftAuthenticator()
    account_id = await sign_up(client, device)
    async with AsyncTestClient(app=app) as other:
        other.headers["user-agent"] = IPHONE_SAFARI
        await sign_in(other, device)
        await sign_in(other, device)  # an older session of that phone stays valid too
        async with AsyncTestClient(app=app) as stranger:
            stranger_id = await sign_up(
                stranger, SoftAuthenticator(), WINDOWS_EDGE, "0813-1111-2222"
            )
            assert len(await sessions_of(account_id)) == 3

            response = await post_form(client, "/account/sessions/sign-out-others", {})
            assert response.status_code == 200
            assert len(list_items(response.text)) == 1
            assert "perangkat ini" in response.text
            assert "Keluar dari semua perangkat lain" not in response.text
            assert not await is_signed_in(other)
            assert await is_signed_in(client)
            assert await is_signed_in(stranger)
    [left] = await sessions_of(account_id)
    assert left["token_hash"] == hash_token(client.cookies[SESSION_COOKIE])
    assert len(await sessions_of(stranger_id)) == 1


async def test_session_of_another_account_cannot_be_revoked(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    await sign_up(client, SoftAuthenticator())
    async with AsyncTestClient(app=app) as other:
        other_id = await sign_up(other, SoftAuthenticator(), IPHONE_SAFARI, "0813-9876-5432")
        [foreign] = await sessions_of(other_id)
        response = await post_form(client, f"/account/sessions/{foreign['public_id']}/delete", {})
        assert response.status_code == 404
        assert await is_signed_in(other)
    assert await sessions_of(other_id) == [foreign]


async def test_session_cookie_is_http_only_and_same_site_lax(
    client: AsyncTestClient[Any],
) -> None:
    device = SoftAuthenticator()
    await sign_up(client, device)
    attributes = session_cookie_attributes(await sign_in(client, device))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert f"max-age={30 * 24 * 3600}" in attributes


async def test_session_token_is_stored_only_hashed(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    token = client.cookies[SESSION_COOKIE]
    assert len(token) >= 40
    [session] = await sessions_of(account_id)
    assert all(token not in str(value) for value in session.values())
    assert session["token_hash"] == hash_token(token)


async def test_expired_session_counts_as_signed_out(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    assert await is_signed_in(client)
    await Session.update({Session.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Session.account == account_id
    )
    assert not await is_signed_in(client)
    response = await client.get("/account/sessions", follow_redirects=False)
    assert response.headers["location"] == "/login?next=%2Faccount%2Fsessions"


# Language and signing out -------------------------------------------------------------------


async def test_language_choice_is_stored_on_the_account(
    app: Litestar, client: AsyncTestClient[Any]
) -> None:
    device = SoftAuthenticator()
    account_id = await sign_up(client, device)
    response = await post_form(client, "/account/language", {"lang": "en"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    account = await Account.select(Account.locale).where(Account.id == account_id).first()
    assert account["locale"] == "en"

    indonesian = {"Accept-Language": "id"}
    for path in ("/home", "/account", "/account/passkeys", "/account/sessions"):
        page = await client.get(path, headers=indonesian)
        assert '<html lang="en"' in page.text, path
    refused = await client.get("/admin/accounts", headers=indonesian)
    assert refused.status_code == 403
    assert '<html lang="en"' in refused.text and "You cannot open this page" in refused.text

    async with AsyncTestClient(app=app) as other:
        assert '<html lang="id"' in (await other.get("/", headers=indonesian)).text
        await sign_in(other, device)
        assert '<html lang="en"' in (await other.get("/account", headers=indonesian)).text


async def test_unknown_language_is_not_stored(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    response = await post_form(client, "/account/language", {"lang": "fr"}, follow_redirects=False)
    assert response.status_code == 303
    account = await Account.select(Account.locale).where(Account.id == account_id).first()
    assert account["locale"] is None


async def test_logout_clears_cookie_and_saved_pages(client: AsyncTestClient[Any]) -> None:
    account_id = await sign_up(client, SoftAuthenticator())
    response = await post_form(client, "/auth/logout", {}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?signed_out=1")
    signed_out = await client.get("/login?signed_out=1")
    assert "data-forget-saved-pages" in signed_out.text
    attributes = session_cookie_attributes(response)
    assert "max-age=0" in attributes
    assert {f"{SESSION_COOKIE}=", f'{SESSION_COOKIE}=""'} & attributes
    assert SESSION_COOKIE not in client.cookies
    assert await sessions_of(account_id) == []
    assert not await is_signed_in(client)
    assert "Anda sudah keluar." in (await client.get(response.headers["location"])).text
