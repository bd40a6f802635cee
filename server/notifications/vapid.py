"""VAPID keys: from the environment, or generated once into the data folder (mode 0600)."""

from __future__ import annotations

import os
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02

from server.files import PRIVATE_FILE, private_directory, tighten


@dataclass(frozen=True)
class VapidKeys:
    # RFC 8292 (`Authorization: vapid t=…, k=…`): Apple's push service refuses draft-01's `WebPush`.
    vapid: Vapid02
    public_key: str  # base64url of the raw P-256 point: the page's applicationServerKey
    subject: str  # "mailto:..." or "https://...", sent as the `sub` claim


def load_vapid_keys(data_dir: Path, private_pem: str | None, subject: str) -> VapidKeys:
    """VAPID_PRIVATE_KEY (PEM) if given, else `data_dir/vapid_private_key.pem`, made once."""
    if private_pem:
        vapid = Vapid02.from_pem(private_pem.encode())
    else:
        path = data_dir / "vapid_private_key.pem"
        if not path.exists():
            private_directory(data_dir)
            fresh = Vapid02()
            fresh.generate_keys()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(fresh.private_pem())
        tighten(path)
        vapid = Vapid02.from_file(str(path))
    raw = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    public_key = urlsafe_b64encode(raw).rstrip(b"=").decode()
    return VapidKeys(vapid=vapid, public_key=public_key, subject=subject)
