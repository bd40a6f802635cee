"""Signing in: passkeys (WebAuthn), sessions and the guards every route uses; and the
account pages that manage them (passkeys, sessions, recovery codes, language)."""
