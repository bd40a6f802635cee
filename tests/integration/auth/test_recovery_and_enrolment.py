"""Getting back in without the old phone: recovery codes, and enrolment links from an admin."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, EnrolmentLink, RecoveryCode
from server.accounts.tokens import hash_recovery_code, hash_token
from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Passkey, Session
from server.settings import Settings
from tests.builders.passkeys import register, sign_in
from tests.conftest import TEST_ORIGIN
from tests.helpers import csrf_token, indonesian, post_form, post_json
from tests.webauthn_device import SoftAuthenticator

PHONE = "0812-3456-7890"
CODE_PATTERN = re.compile(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}")
RECOVERY_REFUSED = indonesian(
    "That phone number and recovery code do not match an unused code.",
    html=False,
)
RECOVERY_REFUSED_EN = "That phone number and recovery code do not match an unused code."
ENROLMENT_REFUSED = (
    "Tautan pendaftaran ini tidak valid, sudah dipakai, atau kedaluwarsa. Minta yang baru kepada "
    "admin."
)
ENROLMENT_URL = re.compile(r'id="enrolment-url" href="http://localhost:8000/enrol/([\w-]+)"')


async def sign_out(client: AsyncTestClient[Any]) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/auth/logout", headers={"x-csrftoken": token}, follow_redirects=False
    )
    assert response.status_code == 303


async def first_row(query: Any) -> dict[str, Any]:
    row: dict[str, Any] | None = await query.first()
    assert row is not None
    return row


def shown_codes(html: str) -> list[str]:
    listing = re.search(r'<ol class="codes" id="recovery-codes">(.*?)</ol>', html, re.S)
    return re.findall(r"<code>([^<]*)</code>", listing.group(1)) if listing else []


async def issue_codes(client: AsyncTestClient[Any], **form: str) -> list[str]:
    response = await post_form(client, "/account/recovery-codes", form)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return shown_codes(response.text)


async def recover(client: AsyncTestClient[Any], phone: str, code: str, **headers: str) -> Any:
    return await post_form(
        client, "/recover", {"phone": phone, "code": code}, headers=headers, follow_redirects=False
    )


async def registered_with_codes(client: AsyncTestClient[Any]) -> list[str]:
    """Siti registered, saved her ten codes, and has since signed out."""
    await register(client, SoftAuthenticator(), phone=PHONE)
    codes = await issue_codes(client)
    await sign_out(client)
    return codes


def assert_signed_in_by_recovery(response: Any) -> None:
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/account/passkeys?recovered=1"
    assert SESSION_COOKIE in response.cookies


def assert_recovery_refused(response: Any, message: str = RECOVERY_REFUSED) -> None:
    assert response.status_code == 400
    assert message in response.text
    assert SESSION_COOKIE not in response.cookies


async def expire_enrolment_links() -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    await EnrolmentLink.update({EnrolmentLink.expires_at: past}).where(
        EnrolmentLink.used_at.is_null()
    )


async def enrol(
    client: AsyncTestClient[Any], token: str, device: SoftAuthenticator | None = None
) -> Any:
    options = await post_json(client, "/auth/register/options", {"enrolment_token": token})
    assert options.status_code == 200, options.text
    credential = (device or SoftAuthenticator()).create(options.json(), TEST_ORIGIN)
    return await post_json(client, "/auth/register/verify", credential)


# Recovery codes -------------------------------------------------------------------------------


async def test_recovery_codes_are_issued_only_when_asked(client: AsyncTestClient[Any]) -> None:
    result = await register(client, SoftAuthenticator())
    assert result["issue_recovery_codes"] is True
    assert await RecoveryCode.count() == 0
    status = await client.get("/account/recovery-codes")
    assert status.status_code == 200
    assert shown_codes(status.text) == []

    codes = await issue_codes(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(CODE_PATTERN.fullmatch(code) for code in codes)


async def test_recovery_codes_are_stored_only_as_hashes(
    client: AsyncTestClient[Any], settings: Settings
) -> None:
    await register(client, SoftAuthenticator())
    codes = await issue_codes(client)
    rows = await RecoveryCode.select()
    key = settings.recovery_code_key
    assert {row["code_hash"] for row in rows} == {hash_recovery_code(code, key) for code in codes}
    stored = repr(rows).upper()
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


async def test_recovery_codes_are_not_shown_again_without_regenerate(
    client: AsyncTestClient[Any],
) -> None:
    await register(client, SoftAuthenticator())
    codes = await issue_codes(client)
    hashes = await RecoveryCode.select(RecoveryCode.code_hash).order_by(RecoveryCode.id)

    again = await post_form(client, "/account/recovery-codes", {}, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == "/account/recovery-codes"
    page = await client.get("/account/recovery-codes")
    assert page.status_code == 200
    assert shown_codes(page.text) == []
    assert not any(code in page.text for code in codes)
    assert "Anda punya 10 kode pemulihan yang belum dipakai." in page.text
    assert await RecoveryCode.select(RecoveryCode.code_hash).order_by(RecoveryCode.id) == hashes


async def test_regenerated_recovery_codes_replace_old_ones(client: AsyncTestClient[Any]) -> None:
    await register(client, SoftAuthenticator(), phone=PHONE)
    old = await issue_codes(client)
    new = await issue_codes(client, regenerate="1")
    assert len(new) == 10
    assert not set(old) & set(new)
    assert await RecoveryCode.count() == 10
    await sign_out(client)

    assert_recovery_refused(await recover(client, PHONE, old[0]))
    assert_signed_in_by_recovery(await recover(client, PHONE, new[0]))


# Signing in with a recovery code --------------------------------------------------------------


async def test_recovery_code_signs_in_with_recovery_session(client: AsyncTestClient[Any]) -> None:
    codes = await registered_with_codes(client)
    assert await Session.count() == 0
    response = await recover(client, PHONE, codes[3])
    assert_signed_in_by_recovery(response)
    sessions = await Session.select(Session.method)
    assert sessions == [{"method": "recovery"}]
    page = await client.get("/account/passkeys?recovered=1")
    assert page.status_code == 200
    assert "Anda masuk dengan kode pemulihan." in page.text
    unused = await RecoveryCode.count().where(RecoveryCode.used_at.is_null())
    assert unused == 9


async def test_recovery_code_works_only_once(client: AsyncTestClient[Any]) -> None:
    codes = await registered_with_codes(client)
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[0]))
    await sign_out(client)
    assert_recovery_refused(await recover(client, PHONE, codes[0]))
    assert await Session.count() == 0


async def test_suspended_account_keeps_its_recovery_code(client: AsyncTestClient[Any]) -> None:
    codes = await registered_with_codes(client)
    await Account.update({Account.status: "suspended"}).where(Account.phone == "+6281234567890")
    assert_recovery_refused(await recover(client, PHONE, codes[0]), "dinonaktifkan sementara")
    unused = await RecoveryCode.count().where(RecoveryCode.used_at.is_null())
    assert unused == 10


@pytest.mark.parametrize(
    ("phone", "code_of"),
    [
        (PHONE, lambda codes: "22222-22222"),
        (PHONE, lambda codes: ""),
        ("0813-1111-2222", lambda codes: codes[0]),
        ("not a phone", lambda codes: codes[0]),
        ("", lambda codes: codes[0]),
    ],
    ids=["wrong-code", "empty-code", "wrong-phone", "invalid-phone", "empty-phone"],
)
async def test_recovery_refuses_wrong_phone_or_code(
    client: AsyncTestClient[Any], phone: str, code_of: Callable[[list[str]], str]
) -> None:
    codes = await registered_with_codes(client)
    response = await recover(client, phone, code_of(codes))
    assert_recovery_refused(response)
    assert await Session.count() == 0
    # The refusal spent nothing.
    assert await RecoveryCode.count().where(RecoveryCode.used_at.is_null()) == 10
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[0]))


async def test_recovery_refuses_code_of_another_account(client: AsyncTestClient[Any]) -> None:
    await registered_with_codes(client)
    await register(client, SoftAuthenticator(), name="Dewi Lestari", phone="0813-1111-2222")
    dewi_codes = await issue_codes(client)
    await sign_out(client)
    assert_recovery_refused(await recover(client, PHONE, dewi_codes[0]))
    assert await Session.count() == 0


async def test_recovery_refusal_follows_accept_language(client: AsyncTestClient[Any]) -> None:
    await registered_with_codes(client)
    response = await recover(client, PHONE, "22222-22222", **{"Accept-Language": "en"})
    assert_recovery_refused(response, RECOVERY_REFUSED_EN)


@pytest.mark.parametrize(
    "spell",
    [
        str.lower,
        lambda code: code.replace("-", ""),
        lambda code: code.lower().replace("-", ""),
        lambda code: f" {code[:5]} {code[6:]} ",
    ],
    ids=["lower-case", "no-dash", "lower-case-no-dash", "space-for-dash"],
)
async def test_recovery_accepts_code_in_other_spellings(
    client: AsyncTestClient[Any], spell: Callable[[str], str]
) -> None:
    codes = await registered_with_codes(client)
    assert_signed_in_by_recovery(await recover(client, "+62 812 3456 7890", spell(codes[0])))


async def test_passkey_can_be_added_after_recovery(client: AsyncTestClient[Any]) -> None:
    codes = await registered_with_codes(client)
    old_key = await first_row(Passkey.select(Passkey.credential_id))
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[0]))

    options = await post_json(client, "/auth/register/options", {})
    assert options.status_code == 200, options.text
    account = await first_row(Account.select(Account.id, Account.webauthn_user_id))
    assert options.json()["user"]["id"] == account["webauthn_user_id"]
    excluded = [item["id"] for item in options.json()["excludeCredentials"]]
    assert excluded == [old_key["credential_id"]]

    new_phone = SoftAuthenticator()
    response = await post_json(
        client, "/auth/register/verify", new_phone.create(options.json(), TEST_ORIGIN)
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/account/passkeys", "issue_recovery_codes": False}
    assert await Passkey.count().where(Passkey.account == account["id"]) == 2
    assert await Session.select(Session.method) == [{"method": "recovery"}]

    await sign_out(client)
    assert (await sign_in(client, new_phone)).status_code == 200


# Enrolment links ------------------------------------------------------------------------------


async def test_enrolment_link_creates_passkey_and_signs_in(client: AsyncTestClient[Any]) -> None:
    account_id, token = await create_invited_account("tailor", "Ani Wijaya", "0813-9876-5432", None)
    page = await client.get(f"/enrol/{token}")
    assert page.status_code == 200
    assert "Selamat datang, Ani Wijaya" in page.text
    assert f'value="{token}"' in page.text
    assert await Passkey.count() == 0

    options = await post_json(client, "/auth/register/options", {"enrolment_token": token})
    assert options.status_code == 200, options.text
    account = await first_row(Account.select().where(Account.id == account_id))
    assert options.json()["user"]["id"] == account["webauthn_user_id"]
    device = SoftAuthenticator()
    credential = device.create(options.json(), TEST_ORIGIN)
    response = await post_json(client, "/auth/register/verify", credential)
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/home", "issue_recovery_codes": True}

    assert await Passkey.count().where(Passkey.account == account_id) == 1
    assert await Session.select(Session.account, Session.method) == [
        {"account": account_id, "method": "passkey"}
    ]
    assert "Halo, Ani Wijaya" in (await client.get("/home")).text
    link = await first_row(EnrolmentLink.select(EnrolmentLink.used_at))
    assert link["used_at"] is not None
    await sign_out(client)
    assert (await sign_in(client, device)).status_code == 200


async def test_enrolment_link_is_refused_once_spent(client: AsyncTestClient[Any]) -> None:
    _account_id, token = await create_invited_account(
        "tailor", "Ani Wijaya", "0813-9876-5432", None
    )
    assert (await enrol(client, token)).status_code == 200
    await sign_out(client)

    again = await post_json(client, "/auth/register/options", {"enrolment_token": token})
    assert again.status_code == 400
    assert again.json()["code"] == "enrolment_invalid"
    assert again.json()["error"] == ENROLMENT_REFUSED
    page = await client.get(f"/enrol/{token}")
    assert page.status_code == 410
    assert ENROLMENT_REFUSED in page.text
    assert await Passkey.count() == 1


async def test_enrolment_link_is_spent_by_only_one_of_two_ceremonies(
    client: AsyncTestClient[Any],
) -> None:
    _account_id, token = await create_invited_account(
        "tailor", "Ani Wijaya", "0813-9876-5432", None
    )
    credentials = []
    for _ in range(2):
        options = await post_json(client, "/auth/register/options", {"enrolment_token": token})
        assert options.status_code == 200, options.text
        credentials.append(SoftAuthenticator().create(options.json(), TEST_ORIGIN))
    first = await post_json(client, "/auth/register/verify", credentials[0])
    assert first.status_code == 200, first.text
    second = await post_json(client, "/auth/register/verify", credentials[1])
    assert second.status_code == 400
    assert second.json()["code"] == "enrolment_invalid"
    assert await Passkey.count() == 1
    assert await Session.count() == 1


async def test_enrolment_link_is_refused_when_expired(client: AsyncTestClient[Any]) -> None:
    _account_id, token = await create_invited_account(
        "tailor", "Ani Wijaya", "0813-9876-5432", None
    )
    await expire_enrolment_links()
    page = await client.get(f"/enrol/{token}")
    assert page.status_code == 410
    assert ENROLMENT_REFUSED in page.text
    options = await post_json(client, "/auth/register/options", {"enrolment_token": token})
    assert options.status_code == 400
    assert options.json()["code"] == "enrolment_invalid"


async def test_enrolment_link_expiring_during_ceremony_writes_nothing(
    client: AsyncTestClient[Any],
) -> None:
    _account_id, token = await create_invited_account(
        "tailor", "Ani Wijaya", "0813-9876-5432", None
    )
    options = await post_json(client, "/auth/register/options", {"enrolment_token": token})
    assert options.status_code == 200, options.text
    credential = SoftAuthenticator().create(options.json(), TEST_ORIGIN)
    await expire_enrolment_links()
    response = await post_json(client, "/auth/register/verify", credential)
    assert response.status_code == 400
    assert response.json()["code"] == "enrolment_invalid"
    assert await Passkey.count() == 0
    assert await Session.count() == 0
    assert SESSION_COOKIE not in response.cookies


async def test_enrolment_link_unknown_token_is_refused(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/enrol/not-a-real-token")
    assert page.status_code == 410
    assert ENROLMENT_REFUSED in page.text
    options = await post_json(client, "/auth/register/options", {"enrolment_token": "nope"})
    assert options.status_code == 400
    assert options.json()["code"] == "enrolment_invalid"


async def test_admin_issues_enrolment_link_for_lost_phone(client: AsyncTestClient[Any]) -> None:
    await register(client, SoftAuthenticator(), name="Siti Rahayu", phone=PHONE)
    await sign_out(client)
    await register(client, SoftAuthenticator(), name="Budi Santoso", phone="0811-2222-3333")
    await Account.update({Account.role: "admin"}).where(Account.name == "Budi Santoso")
    admin = await first_row(Account.select(Account.id).where(Account.name == "Budi Santoso"))
    siti = await first_row(
        Account.select(Account.id, Account.public_id).where(Account.phone == "+6281234567890")
    )

    response = await post_form(client, f"/admin/accounts/{siti['public_id']}/enrolment-links", {})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    match = ENROLMENT_URL.search(response.text)
    assert match, response.text
    token = match.group(1)
    link = await first_row(EnrolmentLink.select())
    assert link["token_hash"] == hash_token(token)
    assert link["account"] == siti["id"]
    assert link["created_by"] == admin["id"]

    await sign_out(client)
    new_phone = SoftAuthenticator()
    assert (await enrol(client, token, new_phone)).status_code == 200
    assert await Passkey.count().where(Passkey.account == siti["id"]) == 2
    assert "Halo, Siti Rahayu" in (await client.get("/home")).text


async def test_enrolment_links_cannot_be_issued_by_non_admin(
    client: AsyncTestClient[Any],
) -> None:
    await register(client, SoftAuthenticator(), phone=PHONE)
    own = await first_row(Account.select(Account.public_id))
    response = await post_form(client, f"/admin/accounts/{own['public_id']}/enrolment-links", {})
    assert response.status_code == 403
    assert await EnrolmentLink.count() == 0
