"""Random secrets handed to users, and the hashes we keep of them."""

import hashlib
import hmac
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, typed on a phone


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_recovery_code() -> str:
    """Ten characters (50 bits) in two groups: 7KQ2M-XH9TB."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def normalize_recovery_code(raw: str) -> str:
    chars = "".join(ch for ch in raw.upper() if ch.isalnum())
    return f"{chars[:5]}-{chars[5:]}"


def hash_recovery_code(raw: str, key: bytes) -> str:
    """HMAC under a server key, so a leaked database alone cannot be swept for the 50-bit codes.
    Keyed over the code's SHA-256, the hash kept before: that let a migration re-key old rows."""
    digest = hash_token(normalize_recovery_code(raw))
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()
