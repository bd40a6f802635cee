"""SECRET_KEY and VAPID_PRIVATE_KEY: required on PostgreSQL, where several processes or hosts
may serve; keys made in each DATA_DIR would make one process refuse another's forms."""

import pytest

from server.settings import Settings, SharedSecretsMissing, check_shared_secrets

POSTGRES = {"DATABASE_URL": "postgresql://clothingline@db.internal/clothingline"}
BOTH = {"SECRET_KEY": "s", "VAPID_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----"}


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "SECRET_KEY and VAPID_PRIVATE_KEY must be set"),
        ({"SECRET_KEY": "s"}, "VAPID_PRIVATE_KEY must be set"),
        ({"VAPID_PRIVATE_KEY": "pem", "SECRET_KEY": ""}, "SECRET_KEY must be set"),
    ],
)
def test_postgres_without_the_shared_keys_is_refused(given: dict[str, str], missing: str) -> None:
    with pytest.raises(SharedSecretsMissing, match=missing):
        check_shared_secrets({**POSTGRES, **given})


def test_postgres_with_both_keys_and_sqlite_without_them_start() -> None:
    check_shared_secrets({**POSTGRES, **BOTH})
    check_shared_secrets({"DATA_DIR": "/srv/clothingline", "PUSH_WORKER": "0"})
    check_shared_secrets({"DATABASE_URL": "sqlite:////srv/clothingline/db.sqlite"})


def test_rate_limits_count_in_the_database_on_postgres_unless_told() -> None:
    def shared(**env: str) -> bool:
        settings = Settings.from_env({"DATA_DIR": "/srv/clothingline", **BOTH, **env})
        return settings.shared_rate_limits

    assert shared(**POSTGRES)
    assert not shared(**POSTGRES, RATE_LIMIT_STORE="memory")
    assert not shared()
    assert shared(RATE_LIMIT_STORE="Database")
    with pytest.raises(ValueError, match="RATE_LIMIT_STORE is database or memory, not 'redis'"):
        shared(RATE_LIMIT_STORE="redis")
