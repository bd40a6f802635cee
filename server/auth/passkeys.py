"""Passkey ceremonies with py_webauthn: options out, the browser's toJSON() back in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.parse_registration_credential_json import (
    parse_registration_credential_json,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from server.accounts.refusals import AccountError
from server.accounts.services import (
    Registration,
    consume_enrolment_link,
    insert_account,
    new_webauthn_user_id,
    phone_is_taken,
)
from server.accounts.tables import Account, AccountStatus
from server.accounts.tokens import hash_token
from server.auth.tables import Challenge, Passkey
from server.clock import now
from server.db import transaction
from server.text import typed_text

CHALLENGE_LIFETIME = timedelta(minutes=5)
CEREMONY_TIMEOUT_MS = 120_000


class Purpose:
    REGISTER = "register"  # a new account
    ADD = "add"  # another passkey for the signed-in account
    ENROL = "enrol"  # a passkey through an enrolment link
    LOGIN = "login"


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str
    name: str = "Clothing Line"


@dataclass(frozen=True)
class Registered:
    account_id: int
    purpose: str


async def store_challenge(
    challenge: bytes,
    purpose: str,
    browser_token: str,
    account_id: int | None = None,
    pending: dict[str, Any] | None = None,
) -> None:
    await Challenge.delete().where(Challenge.expires_at < now())
    await Challenge.insert(
        Challenge(
            challenge=bytes_to_base64url(challenge),
            purpose=purpose,
            browser_hash=hash_token(browser_token),
            account=account_id,
            pending=json.dumps(pending or {}),
            expires_at=now() + CHALLENGE_LIFETIME,
        )
    )


async def take_challenge(
    credential: dict[str, Any], purposes: tuple[str, ...], browser_token: str
) -> dict[str, Any]:
    """The challenge this response answers, spent now: unknown, foreign, expired or reused fail."""
    try:
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        challenge = str(client_data["challenge"])
    except (KeyError, TypeError, ValueError):
        raise AccountError("malformed") from None
    rows = await (
        Challenge.update({Challenge.used_at: now()})
        .where(
            (Challenge.challenge == challenge)
            & (Challenge.browser_hash == hash_token(browser_token))
            & Challenge.purpose.is_in(list(purposes))
            & Challenge.used_at.is_null()
            & (Challenge.expires_at > now())
        )
        .returning(Challenge.challenge, Challenge.purpose, Challenge.account, Challenge.pending)
    )
    if not rows:
        raise AccountError("challenge_invalid")
    row = rows[0]
    pending = row["pending"]
    row["pending"] = json.loads(pending) if isinstance(pending, str) else pending
    return row


def creation_options(
    rp: RelyingParty, user_id: str, user_name: str, display_name: str, exclude: list[str]
) -> Any:
    return generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=base64url_to_bytes(user_id),
        user_name=user_name,
        user_display_name=display_name,
        timeout=CEREMONY_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
            for credential_id in exclude
        ],
    )


async def options_for_new_account(
    rp: RelyingParty, browser_token: str, registration: Registration
) -> str:
    if await phone_is_taken(registration.phone):
        raise AccountError("phone_taken", "phone")
    user_id = new_webauthn_user_id()
    options = creation_options(rp, user_id, registration.phone, registration.name, [])
    await store_challenge(
        options.challenge,
        Purpose.REGISTER,
        browser_token,
        pending={
            "role": registration.role,
            "name": registration.name,
            "phone": registration.phone,
            "user_id": user_id,
        },
    )
    return str(options_to_json(options))


async def options_for_account(
    rp: RelyingParty,
    browser_token: str,
    account_id: int,
    purpose: str,
    enrolment_token_hash: str | None = None,
) -> str:
    account = await Account.select().where(Account.id == account_id).first()
    if account is None or account["status"] != AccountStatus.ACTIVE:
        raise AccountError("suspended")
    existing = await Passkey.select(Passkey.credential_id).where(Passkey.account == account_id)
    options = creation_options(
        rp,
        account["webauthn_user_id"],
        account["phone"],
        account["name"],
        [row["credential_id"] for row in existing],
    )
    pending = {"enrolment": enrolment_token_hash} if enrolment_token_hash else {}
    await store_challenge(options.challenge, purpose, browser_token, account_id, pending)
    return str(options_to_json(options))


async def finish_registration(
    rp: RelyingParty,
    browser_token: str,
    credential: dict[str, Any],
    label: str,
    signed_in_account_id: int | None,
) -> Registered:
    """Verify the new credential and store it; a new account exists only from this moment."""
    challenge = await take_challenge(
        credential, (Purpose.REGISTER, Purpose.ADD, Purpose.ENROL), browser_token
    )
    purpose = challenge["purpose"]
    if purpose == Purpose.ADD and challenge["account"] != signed_in_account_id:
        raise AccountError("challenge_invalid")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge["challenge"]),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
        transports = parse_registration_credential_json(credential).response.transports or []
    except (InvalidRegistrationResponse, InvalidJSONStructure, KeyError, TypeError, ValueError):
        raise AccountError("verification_failed") from None
    credential_id = bytes_to_base64url(verified.credential_id)
    async with transaction():
        if await Passkey.exists().where(Passkey.credential_id == credential_id):
            raise AccountError("credential_taken")
        if purpose == Purpose.REGISTER:
            pending = challenge["pending"]
            registration = Registration(pending["role"], pending["name"], pending["phone"])
            account_id = await insert_account(registration, pending["user_id"])
        elif purpose == Purpose.ENROL:
            account_id = await consume_enrolment_link(challenge["pending"]["enrolment"])
        else:
            account_id = int(challenge["account"])
        await Passkey.insert(
            Passkey(
                account=account_id,
                credential_id=credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=json.dumps([str(t.value) for t in transports]),
                aaguid=str(verified.aaguid),
                backup_eligible=verified.credential_device_type == "multi_device",
                backed_up=verified.credential_backed_up,
                label=label[:60],
            )
        )
    return Registered(account_id=account_id, purpose=purpose)


async def authentication_options(rp: RelyingParty, browser_token: str) -> str:
    """Discoverable sign-in: no allow list, the authenticator offers its passkeys."""
    options = generate_authentication_options(
        rp_id=rp.id,
        timeout=CEREMONY_TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    await store_challenge(options.challenge, Purpose.LOGIN, browser_token)
    return str(options_to_json(options))


async def finish_authentication(
    rp: RelyingParty, browser_token: str, credential: dict[str, Any]
) -> int:
    """The account that proved possession of its passkey; sign counts never go back."""
    challenge = await take_challenge(credential, (Purpose.LOGIN,), browser_token)
    credential_id = credential.get("rawId") or credential.get("id")
    if not isinstance(credential_id, str):
        raise AccountError("malformed")
    passkey = await (
        Passkey.select(
            Passkey.id,
            Passkey.public_key,
            Passkey.sign_count,
            Passkey.account.id,
            Passkey.account.status,
            Passkey.account.webauthn_user_id,
        )
        .where(Passkey.credential_id == credential_id)
        .first()
    )
    if passkey is None:
        raise AccountError("unknown_credential")
    user_handle = (credential.get("response") or {}).get("userHandle")
    if user_handle and user_handle != passkey["account.webauthn_user_id"]:
        raise AccountError("unknown_credential")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge["challenge"]),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=bytes(passkey["public_key"]),
            credential_current_sign_count=passkey["sign_count"],
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, KeyError, TypeError, ValueError):
        raise AccountError("verification_failed") from None
    if passkey["account.status"] != AccountStatus.ACTIVE:
        raise AccountError("suspended")
    updated = await (
        Passkey.update(
            {
                Passkey.sign_count: verified.new_sign_count,
                Passkey.backed_up: verified.credential_backed_up,
                Passkey.last_used_at: now(),
            }
        )
        .where((Passkey.id == passkey["id"]) & (Passkey.sign_count == passkey["sign_count"]))
        .returning(Passkey.id)
    )
    if not updated:  # another sign-in with the same counter got there first: a cloned key
        raise AccountError("verification_failed")
    return int(passkey["account.id"])


# Managing one's passkeys --------------------------------------------------------------------


async def list_passkeys(account_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Passkey.select(
            Passkey.public_id,
            Passkey.label,
            Passkey.created_at,
            Passkey.last_used_at,
            Passkey.backed_up,
        )
        .where(Passkey.account == account_id)
        .order_by(Passkey.created_at)
    )
    return rows


async def rename_passkey(account_id: int, public_id: Any, label: str) -> None:
    label = " ".join(typed_text(label).split())
    if not 1 <= len(label) <= 60:
        raise AccountError("invalid_label", "label")
    rows = await (
        Passkey.update({Passkey.label: label})
        .where((Passkey.account == account_id) & (Passkey.public_id == public_id))
        .returning(Passkey.id)
    )
    if not rows:
        raise AccountError("not_found")


async def revoke_passkey(account_id: int, public_id: Any) -> None:
    """Remove a passkey, never the last one: the account would be locked out."""
    async with transaction():
        count = await Passkey.count().where(Passkey.account == account_id)
        target = await Passkey.exists().where(
            (Passkey.account == account_id) & (Passkey.public_id == public_id)
        )
        if not target:
            raise AccountError("not_found")
        if count <= 1:
            raise AccountError("last_passkey")
        await Passkey.delete().where(
            (Passkey.account == account_id) & (Passkey.public_id == public_id)
        )


async def count_passkeys(account_id: int) -> int:
    return int(await Passkey.count().where(Passkey.account == account_id))
