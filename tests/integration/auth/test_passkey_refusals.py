"""Every way a passkey ceremony is refused: a 4xx with a translated message, and nothing written."""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account
from server.auth.routes import BROWSER_COOKIE
from server.auth.tables import Challenge, Passkey, Session
from tests.builders.passkeys import register
from tests.conftest import TEST_ORIGIN
from tests.helpers import csrf_token, post_json
from tests.webauthn_device import UV, SoftAuthenticator, b64url, unb64url

Credential = dict[str, Any]
REGISTER_VERIFY = "/auth/register/verify"
LOGIN_VERIFY = "/auth/login/verify"
EVIL_ORIGIN = "http://evil.example"
NEW_ACCOUNT = {"role": "tailor", "name": "Siti Rahayu", "phone": "0812-3456-7890"}
INDONESIAN = {
    "challenge_invalid": "Permintaan passkey ini sudah kedaluwarsa atau sudah dipakai. "
    "Silakan coba lagi.",
    "malformed": "Browser mengirim data yang tidak bisa kami baca. Silakan coba lagi.",
    "verification_failed": "Passkey Anda tidak bisa diverifikasi. Silakan coba lagi, "
    "atau gunakan perangkat lain.",
    "unknown_credential": "Passkey ini tidak terdaftar di sini. Daftar dulu, "
    "atau gunakan kode pemulihan.",
    "phone_taken": "Nomor WhatsApp ini sudah punya akun. Kalau itu akun Anda, silakan masuk, "
    "atau gunakan kode pemulihan jika ponsel Anda hilang. Kalau Anda tidak pernah membuat akun "
    "itu, berarti orang lain mendaftarkan nomor Anda: hubungi admin program, yang bisa memeriksa "
    "dan melepaskan nomor itu untuk Anda.",
    "invalid_role": "Pilih apakah Anda penjahit atau desainer/brand.",
    "invalid_name": "Tulis nama Anda (2 sampai 120 huruf).",
    "invalid_phone": "Itu bukan nomor ponsel Indonesia. Tulis seperti 0812 3456 7890.",
}
ENGLISH = {
    "phone_taken": "This WhatsApp number already has an account. If it is yours, sign in, or "
    "use a recovery code if you lost your phone. If you never made that account, someone else "
    "registered your number: contact the programme admin, who can check and release it to you.",
    "invalid_phone": "That is not an Indonesian mobile number. Write it like 0812 3456 7890.",
    "challenge_invalid": "This passkey request has expired or was already used. Please try again.",
}


async def written_rows() -> tuple[int, list[dict[str, Any]], int]:
    """Accounts, passkeys (with the counters a sign-in moves) and sessions, to compare."""
    passkeys = await Passkey.select(
        Passkey.credential_id, Passkey.account, Passkey.sign_count, Passkey.last_used_at
    ).order_by(Passkey.id)
    return await Account.count(), passkeys, await Session.count()


async def sign_out(client: AsyncTestClient[Any]) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/auth/logout", headers={"x-csrftoken": token}, follow_redirects=False
    )
    assert response.status_code == 303


async def switch_browser(client: AsyncTestClient[Any]) -> None:
    """Carry on as another browser: its own cl_browser cookie, none of the first one's."""
    first = client.cookies[BROWSER_COOKIE]
    client.cookies.delete(BROWSER_COOKIE)
    assert (await post_json(client, "/auth/login/options", {})).status_code == 200
    assert client.cookies[BROWSER_COOKIE] != first


async def options(client: AsyncTestClient[Any], url: str, body: dict[str, str]) -> dict[str, Any]:
    response = await post_json(client, url, body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def registration_options(client: AsyncTestClient[Any]) -> dict[str, Any]:
    return await options(client, "/auth/register/options", NEW_ACCOUNT)


async def login_options(client: AsyncTestClient[Any]) -> dict[str, Any]:
    return await options(client, "/auth/login/options", {})


async def registered_and_signed_out(
    client: AsyncTestClient[Any], device: SoftAuthenticator | None = None, **account: str
) -> None:
    """Someone who registered with a passkey earlier, on a browser that is now signed out."""
    await register(client, device or SoftAuthenticator(), **account)
    await sign_out(client)


async def expire_challenges(_client: AsyncTestClient[Any]) -> None:
    await Challenge.update({Challenge.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Challenge.used_at.is_null()
    )


def assert_refused(response: Any, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["error"] == INDONESIAN[code]
    assert response.headers["cache-control"] == "no-store"
    assert "cl_session" not in response.cookies


def with_client_data(credential: Credential, **changes: Any) -> Credential:
    client_data = json.loads(unb64url(credential["response"]["clientDataJSON"]))
    encoded = b64url(json.dumps({**client_data, **changes}).encode())
    return {**credential, "response": {**credential["response"], "clientDataJSON": encoded}}


def with_response(credential: Credential, **fields: Any) -> Credential:
    return {**credential, "response": {**credential["response"], **fields}}


# Registration ---------------------------------------------------------------------------------


async def test_register_verify_refuses_replayed_challenge(client: AsyncTestClient[Any]) -> None:
    options = await registration_options(client)
    credential = SoftAuthenticator().create(options, TEST_ORIGIN)
    assert (await post_json(client, REGISTER_VERIFY, credential)).status_code == 200
    before = await written_rows()
    assert_refused(await post_json(client, REGISTER_VERIFY, credential), "challenge_invalid")
    another_key = SoftAuthenticator().create(options, TEST_ORIGIN)
    assert_refused(await post_json(client, REGISTER_VERIFY, another_key), "challenge_invalid")
    assert await written_rows() == before


STALE_CHALLENGE = pytest.mark.parametrize(
    "make_stale", [expire_challenges, switch_browser], ids=["expired", "another-browser"]
)


@STALE_CHALLENGE
async def test_register_verify_refuses_stale_challenge(
    client: AsyncTestClient[Any], make_stale: Callable[[AsyncTestClient[Any]], Awaitable[None]]
) -> None:
    credential = SoftAuthenticator().create(await registration_options(client), TEST_ORIGIN)
    await make_stale(client)
    assert_refused(await post_json(client, REGISTER_VERIFY, credential), "challenge_invalid")
    assert await written_rows() == (0, [], 0)


@pytest.mark.parametrize(
    "forge",
    [
        lambda o: SoftAuthenticator().create(o, EVIL_ORIGIN),
        lambda o: SoftAuthenticator().create(o, TEST_ORIGIN, rp_id="evil.example"),
        lambda o: SoftAuthenticator(user_verified=False).create(o, TEST_ORIGIN),
        lambda o: with_client_data(SoftAuthenticator().create(o, TEST_ORIGIN), type="webauthn.get"),
    ],
    ids=["wrong-origin", "wrong-rp-id", "no-user-verification", "tampered-client-data"],
)
async def test_register_verify_refuses_forged_credential(
    client: AsyncTestClient[Any], forge: Callable[[dict[str, Any]], Credential]
) -> None:
    credential = forge(await registration_options(client))
    assert_refused(await post_json(client, REGISTER_VERIFY, credential), "verification_failed")
    assert await written_rows() == (0, [], 0)


# Sign-in --------------------------------------------------------------------------------------


async def test_login_verify_refuses_replayed_assertion(client: AsyncTestClient[Any]) -> None:
    device = SoftAuthenticator()
    await registered_and_signed_out(client, device)
    assertion = device.get(await login_options(client), TEST_ORIGIN)
    assert (await post_json(client, LOGIN_VERIFY, assertion)).status_code == 200
    before = await written_rows()
    assert_refused(await post_json(client, LOGIN_VERIFY, assertion), "challenge_invalid")
    assert await written_rows() == before


@STALE_CHALLENGE
async def test_login_verify_refuses_stale_challenge(
    client: AsyncTestClient[Any], make_stale: Callable[[AsyncTestClient[Any]], Awaitable[None]]
) -> None:
    device = SoftAuthenticator()
    await registered_and_signed_out(client, device)
    assertion = device.get(await login_options(client), TEST_ORIGIN)
    await make_stale(client)
    before = await written_rows()
    assert_refused(await post_json(client, LOGIN_VERIFY, assertion), "challenge_invalid")
    assert await written_rows() == before


def with_flipped_signature_byte(assertion: Credential) -> Credential:
    signature = bytearray(unb64url(assertion["response"]["signature"]))
    signature[-1] ^= 0x01  # the last byte of s: still valid DER, no longer a valid signature
    return with_response(assertion, signature=b64url(bytes(signature)))


def with_forged_user_verified_flag(assertion: Credential) -> Credential:
    auth_data = bytearray(unb64url(assertion["response"]["authenticatorData"]))
    auth_data[32] |= UV
    return with_response(assertion, authenticatorData=b64url(bytes(auth_data)))


@pytest.mark.parametrize(
    ("user_verified", "forge"),
    [
        (True, lambda d, o: d.get(o, EVIL_ORIGIN)),
        (True, lambda d, o: d.get(o, TEST_ORIGIN, rp_id="evil.example")),
        (False, lambda d, o: d.get(o, TEST_ORIGIN)),
        (False, lambda d, o: with_forged_user_verified_flag(d.get(o, TEST_ORIGIN))),
        (True, lambda d, o: with_flipped_signature_byte(d.get(o, TEST_ORIGIN))),
        # Challenge, origin and type still match: only the signature can tell.
        (True, lambda d, o: with_client_data(d.get(o, TEST_ORIGIN), tampered=True)),
    ],
    ids=[
        "wrong-origin",
        "wrong-rp-id",
        "no-user-verification",
        "forged-user-verified-flag",
        "tampered-signature",
        "tampered-client-data",
    ],
)
async def test_login_verify_refuses_forged_assertion(
    client: AsyncTestClient[Any],
    user_verified: bool,
    forge: Callable[[SoftAuthenticator, dict[str, Any]], Credential],
) -> None:
    device = SoftAuthenticator()
    await registered_and_signed_out(client, device)
    device.user_verified = user_verified
    assertion = forge(device, await login_options(client))
    before = await written_rows()
    assert_refused(await post_json(client, LOGIN_VERIFY, assertion), "verification_failed")
    assert await written_rows() == before


async def test_login_verify_refuses_user_handle_of_another_account(
    client: AsyncTestClient[Any],
) -> None:
    siti, dewi = SoftAuthenticator(), SoftAuthenticator()
    await registered_and_signed_out(client, siti)
    await registered_and_signed_out(client, dewi, name="Dewi Lestari", phone="0813-1111-2222")
    assertion = siti.get(await login_options(client), TEST_ORIGIN)
    assertion = with_response(assertion, userHandle=dewi.credentials[0].user_handle)
    before = await written_rows()
    assert_refused(await post_json(client, LOGIN_VERIFY, assertion), "unknown_credential", 401)
    assert await written_rows() == before


@pytest.mark.parametrize("sign_count", [3, 5])
async def test_login_verify_refuses_sign_count_that_does_not_grow(
    client: AsyncTestClient[Any], sign_count: int
) -> None:
    device = SoftAuthenticator()
    await registered_and_signed_out(client, device)
    first = device.get(await login_options(client), TEST_ORIGIN, sign_count=5)
    assert (await post_json(client, LOGIN_VERIFY, first)).status_code == 200
    await sign_out(client)
    before = await written_rows()
    cloned = device.get(await login_options(client), TEST_ORIGIN, sign_count=sign_count)
    assert_refused(await post_json(client, LOGIN_VERIFY, cloned), "verification_failed")
    assert await written_rows() == before
    assert before[1][0]["sign_count"] == 5


async def test_login_verify_refuses_unknown_credential(client: AsyncTestClient[Any]) -> None:
    await registered_and_signed_out(client)
    stranger = SoftAuthenticator()
    never_sent = {"rp": {"id": "localhost"}, "user": {"id": b64url(os.urandom(32))}}
    stranger.create({**never_sent, "challenge": b64url(os.urandom(32))}, TEST_ORIGIN)
    assertion = stranger.get(await login_options(client), TEST_ORIGIN)
    before = await written_rows()
    assert_refused(await post_json(client, LOGIN_VERIFY, assertion), "unknown_credential", 401)
    assert await written_rows() == before


# Malformed bodies -----------------------------------------------------------------------------


async def valid_credential_for(client: AsyncTestClient[Any], endpoint: str) -> Credential:
    """What the browser would send to `endpoint` right now, not sent yet."""
    if endpoint == REGISTER_VERIFY:
        return SoftAuthenticator().create(await registration_options(client), TEST_ORIGIN)
    device = SoftAuthenticator()
    await registered_and_signed_out(client, device)
    return device.get(await login_options(client), TEST_ORIGIN)


@pytest.mark.parametrize("endpoint", [REGISTER_VERIFY, LOGIN_VERIFY])
@pytest.mark.parametrize("body", [b"{not json", b"[]", b'"a string"', b""])
async def test_verify_refuses_body_that_is_not_a_json_object(
    client: AsyncTestClient[Any], endpoint: str, body: bytes
) -> None:
    await valid_credential_for(client, endpoint)
    before = await written_rows()
    headers = {"x-csrftoken": await csrf_token(client), "Content-Type": "application/json"}
    response = await client.post(endpoint, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Ada yang tidak beres dengan permintaan ini"
    assert await written_rows() == before


@pytest.mark.parametrize("endpoint", [REGISTER_VERIFY, LOGIN_VERIFY])
@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda c: {**c, "response": None}, id="no-response"),
        pytest.param(lambda c: {**c, "response": {}}, id="empty-response"),
        pytest.param(lambda c: {**c, "response": "clientDataJSON"}, id="response-not-object"),
        pytest.param(lambda c: with_response(c, clientDataJSON="%%%!!"), id="garbage-base64"),
        pytest.param(lambda c: with_response(c, clientDataJSON=b64url(b"\xff")), id="not-json"),
        pytest.param(lambda c: with_response(c, clientDataJSON=b64url(b"{}")), id="no-challenge"),
    ],
)
async def test_verify_refuses_credential_missing_or_garbled_fields(
    client: AsyncTestClient[Any], endpoint: str, mangle: Callable[[Credential], Credential]
) -> None:
    credential = await valid_credential_for(client, endpoint)
    before = await written_rows()
    assert_refused(await post_json(client, endpoint, mangle(credential)), "malformed")
    assert await written_rows() == before
    # The refusal spent nothing: the genuine response still completes the ceremony.
    assert (await post_json(client, endpoint, credential)).status_code == 200


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [
        (REGISTER_VERIFY, "attestationObject"),
        (LOGIN_VERIFY, "authenticatorData"),
        (LOGIN_VERIFY, "signature"),
    ],
)
async def test_verify_refuses_garbage_base64_in_signed_fields(
    client: AsyncTestClient[Any], endpoint: str, field: str
) -> None:
    credential = await valid_credential_for(client, endpoint)
    before = await written_rows()
    garbled = with_response(credential, **{field: "%%%not*base64!!"})
    assert_refused(await post_json(client, endpoint, garbled), "verification_failed")
    assert await written_rows() == before


async def test_login_verify_refuses_credential_id_that_is_not_a_string(
    client: AsyncTestClient[Any],
) -> None:
    assertion = await valid_credential_for(client, LOGIN_VERIFY)
    before = await written_rows()
    garbled = {**assertion, "id": 42, "rawId": None}
    assert_refused(await post_json(client, LOGIN_VERIFY, garbled), "malformed")
    assert await written_rows() == before


# Registration options -------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
async def test_register_options_refuses_phone_already_registered(
    client: AsyncTestClient[Any], phone: str
) -> None:
    await registered_and_signed_out(client)
    challenges = await Challenge.count()
    before = await written_rows()
    response = await post_json(client, "/auth/register/options", {**NEW_ACCOUNT, "phone": phone})
    assert_refused(response, "phone_taken", 409)
    assert response.json()["field"] == "phone"
    assert await written_rows() == before
    assert await Challenge.count() == challenges


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"role": "admin"}, "invalid_role", "role"),
        ({"role": ""}, "invalid_role", "role"),
        ({"name": "S"}, "invalid_name", "name"),
        ({"name": "   "}, "invalid_name", "name"),
        ({"name": "x" * 121}, "invalid_name", "name"),
        ({"phone": "12345"}, "invalid_phone", "phone"),
        ({"phone": "021 345 6789"}, "invalid_phone", "phone"),
        ({"phone": "+1 415 555 0100"}, "invalid_phone", "phone"),
        ({"phone": ""}, "invalid_phone", "phone"),
        (None, "invalid_role", "role"),
    ],
)
async def test_register_options_refuses_invalid_registration_with_field(
    client: AsyncTestClient[Any], changes: dict[str, str] | None, code: str, field: str
) -> None:
    body = {} if changes is None else {**NEW_ACCOUNT, **changes}
    response = await post_json(client, "/auth/register/options", body)
    assert_refused(response, code)
    assert response.json()["field"] == field
    assert await Challenge.count() == 0
    assert await written_rows() == (0, [], 0)


async def test_refusal_messages_follow_accept_language(client: AsyncTestClient[Any]) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}
    bad_phone = {**NEW_ACCOUNT, "phone": "12345"}
    response = await post_json(client, "/auth/register/options", bad_phone, headers=english)
    assert response.status_code == 400
    assert response.json()["error"] == ENGLISH["invalid_phone"]

    credential = SoftAuthenticator().create(await registration_options(client), TEST_ORIGIN)
    await expire_challenges(client)
    response = await post_json(client, REGISTER_VERIFY, credential, headers=english)
    assert response.status_code == 400
    assert response.json()["error"] == ENGLISH["challenge_invalid"]

    await register(client, SoftAuthenticator(), phone="0813-5555-6666")
    await sign_out(client)
    taken = {**NEW_ACCOUNT, "phone": "0813-5555-6666"}
    response = await post_json(client, "/auth/register/options", taken, headers=english)
    assert response.status_code == 409
    assert response.json()["error"] == ENGLISH["phone_taken"]
    indonesian = await post_json(
        client, "/auth/register/options", taken, headers={"Accept-Language": "id-ID"}
    )
    assert indonesian.json()["error"] == INDONESIAN["phone_taken"]
