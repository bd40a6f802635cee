"""The upload refusals' texts by code, for the order domain's messages until it declares its
refusals with server.web.refusals (see server.media.refusals)."""

from server.media.refusals import IMAGE_REFUSALS


def image_messages() -> dict[str, str]:
    return {refusal.code: refusal.message() for refusal in IMAGE_REFUSALS}
