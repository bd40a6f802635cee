"""The tailors' share of housekeeping (composed in `server/jobs.py`): a certificate past its
expiry date sends its tailor back to unverified and off dispatch."""

from __future__ import annotations

from datetime import datetime

from server.tailors.services import expire_certificates
from server.tailors.tables import TailorProfile, Verification


async def lapse_certificates(moment: datetime) -> list[int]:
    """Tailors whose certificate lapsed by `moment`. An idle check only reads, so on SQLite it
    never takes the write lock for nothing."""
    today = moment.date()
    if not await TailorProfile.exists().where(
        (TailorProfile.verification == Verification.VERIFIED)
        & (TailorProfile.certificate_expires_on < today)
    ):
        return []
    return await expire_certificates(today)
