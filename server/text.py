"""Text people type, made safe to store."""

from __future__ import annotations

from typing import Any


def typed_text(value: Any) -> str:
    """A form value as text without NUL characters (PostgreSQL refuses them in text columns,
    and no keyboard types them) and without surrounding whitespace."""
    return str(value if value is not None else "").replace("\x00", "").strip()
