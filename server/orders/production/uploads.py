"""Photos that come with a production step (a stage photo, a transfer proof)."""

from __future__ import annotations

from server.media.images import ProcessedImage
from server.media.refusals import ImageRejected
from server.media.services import prepare_photo
from server.orders.refusals import TrackingError


async def checked_photo(photo: bytes | None) -> ProcessedImage | None:
    """The upload re-encoded before the transaction starts (on SQLite a transaction holds the
    write lock); a bad one is refused with nothing written."""
    if not photo:
        return None
    try:
        return await prepare_photo(photo)
    except ImageRejected as error:
        raise TrackingError(error.code) from None
