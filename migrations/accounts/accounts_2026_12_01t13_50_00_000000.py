"""Recovery codes were kept as a bare SHA-256, which one offline sweep of a leaked database
reverses for every 50-bit code. Each stored digest becomes HMAC(key, digest), which is what
`server.accounts.tokens.hash_recovery_code` computes, so every unused code keeps working.

The key derives from SECRET_KEY, or from DATA_DIR/secret_key, exactly as `serve` finds it: run
`clothingline migrate` with the same environment as `serve`. There is no way back (the HMAC
cannot be undone); going backwards leaves the codes as they are."""

import hashlib
import hmac
import os

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from server.settings import derive_key, secret_key_from_env

ID = "2026-12-01T13:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "recovery codes kept as an HMAC under the server's key"


async def rekey_recovery_codes(secret_key: str | None = None) -> None:
    engine = engine_finder()
    assert engine is not None
    rows = await engine.run_querystring(QueryString("SELECT id, code_hash FROM recovery_code"))
    if not rows:
        return  # no secret needed (nor created) for a database without codes
    key = derive_key(secret_key or secret_key_from_env(os.environ), "recovery-codes")
    for row in rows:
        keyed = hmac.new(key, str(row["code_hash"]).encode(), hashlib.sha256).hexdigest()
        await engine.run_querystring(
            QueryString("UPDATE recovery_code SET code_hash = {} WHERE id = {}", keyed, row["id"])
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    manager.add_raw(rekey_recovery_codes)
    return manager
