"""Recovery codes are kept as an HMAC under a key the database does not hold."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, RecoveryCode
from server.accounts.tokens import hash_recovery_code, hash_token, new_recovery_code
from server.app import create_app
from server.settings import PROJECT_ROOT, Settings, derive_key
from tests.builders.passkeys import register
from tests.integration.auth.test_recovery_and_enrolment import (
    PHONE,
    assert_recovery_refused,
    assert_signed_in_by_recovery,
    issue_codes,
    recover,
    registered_with_codes,
)
from tests.integration.cli.test_cli_and_demo import clothingline
from tests.webauthn_device import SoftAuthenticator

MIGRATION = PROJECT_ROOT / "migrations/accounts/accounts_2026_12_01t13_50_00_000000.py"


def rekeying_migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rekey_recovery_codes", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def stored_hashes() -> set[str]:
    return {row["code_hash"] for row in await RecoveryCode.select(RecoveryCode.code_hash)}


async def test_database_alone_does_not_reveal_a_code(
    client: AsyncTestClient[Any], settings: Settings
) -> None:
    await register(client, SoftAuthenticator())
    codes = await issue_codes(client)
    stored = await stored_hashes()
    assert len(stored) == 10
    another_key = derive_key("another-secret", "recovery-codes")
    for code in codes:
        # What a sweep of all 2^50 codes compares against: the bare digest is not there.
        assert hashlib.sha256(code.encode()).hexdigest() not in stored
        assert hashlib.sha256(code.replace("-", "").encode()).hexdigest() not in stored
        assert hash_recovery_code(code, settings.recovery_code_key) in stored
        assert hash_recovery_code(code, another_key) not in stored
        # Nor is it keyed with SECRET_KEY itself, which also signs the CSRF tokens.
        assert hash_recovery_code(code, settings.secret_key.encode()) not in stored


async def test_codes_work_only_under_the_secret_they_were_issued_with(
    client: AsyncTestClient[Any], settings: Settings
) -> None:
    codes = await registered_with_codes(client)
    other = dataclasses.replace(settings, secret_key="a-different-secret-key")
    async with AsyncTestClient(app=create_app(other)) as elsewhere:
        assert_recovery_refused(await recover(elsewhere, PHONE, codes[0]))
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[0]))


async def test_codes_stored_before_keep_working_after_the_migration(
    client: AsyncTestClient[Any], settings: Settings
) -> None:
    await register(client, SoftAuthenticator(), phone=PHONE)
    account = await Account.select(Account.id).first()
    codes = [new_recovery_code() for _ in range(3)]
    # As the previous release kept them: the bare SHA-256 of the code.
    await RecoveryCode.insert(
        *[RecoveryCode(account=account["id"], code_hash=hash_token(code)) for code in codes]
    )
    await rekeying_migration().rekey_recovery_codes(settings.secret_key)

    key = settings.recovery_code_key
    assert await stored_hashes() == {hash_recovery_code(code, key) for code in codes}
    client.cookies.clear()
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[1]))
    client.cookies.clear()
    assert_recovery_refused(await recover(client, PHONE, codes[1]))
    assert_signed_in_by_recovery(await recover(client, PHONE, codes[2].lower()))


def test_migrate_command_rekeys_codes_with_the_serving_secret(tmp_path: Path) -> None:
    """`clothingline migrate` on a database of the previous release, with SECRET_KEY set."""
    database = tmp_path / "db.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": "the-serving-secret",
    }
    assert clothingline(env, "migrate").returncode == 0
    code = new_recovery_code()
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO account (public_id, role, name, phone, timezone, status,"
            " webauthn_user_id, created_at) VALUES ('8a5e3c1e-0000-4000-8000-000000000001',"
            " 'tailor', 'Siti', '+6281234567890', 'Asia/Jakarta', 'active', 'x',"
            " '2026-11-30 10:00:00+00:00')"
        )
        connection.execute(
            "INSERT INTO recovery_code (account, code_hash, created_at)"
            " VALUES (1, ?, '2026-11-30 10:00:00+00:00')",
            (hash_token(code),),
        )
        connection.execute("DELETE FROM migration WHERE name = ?", (rekeying_migration().ID,))
    result = clothingline(env, "migrate")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        stored = connection.execute("SELECT code_hash FROM recovery_code").fetchall()
    key = derive_key("the-serving-secret", "recovery-codes")
    assert stored == [(hash_recovery_code(code, key),)]
    assert not (tmp_path / "secret_key").exists()
