"""What a refused upload is, for every form that takes photos: code, HTTP status, text."""

from __future__ import annotations

from server.web.refusals import N_, Refusal, Refusals, Refused

IMAGE_REFUSALS = Refusals(
    Refusal("too_large", 413, N_("The photo is larger than 8 MB. Choose a smaller one.")),
    Refusal("not_an_image", 400, N_("That file is not a photo. Use JPEG, PNG, WebP or HEIC.")),
    Refusal(
        "too_many_pixels",
        400,
        N_("That image is too large in pixels. Use a normal phone photo."),
    ),
    Refusal(
        "too_many_pixels_full",
        400,
        N_(
            "This PNG, WebP or HEIC photo is too large in pixels. Send it as a JPEG, "
            "or choose a smaller photo."
        ),
    ),
    Refusal("corrupt", 400, N_("That photo file is damaged. Take or choose it again.")),
)


class ImageRejected(Refused):
    """Not a sane photo: too large, not an image, too many pixels or damaged."""

    refusals = IMAGE_REFUSALS
