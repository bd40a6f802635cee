"""What a refused upload says, for every form that takes photos."""

from server.web.i18n import gettext as _


def image_messages() -> dict[str, str]:
    """One text per ImageRejected code."""
    return {
        "too_large": _("The photo is larger than 8 MB. Choose a smaller one."),
        "not_an_image": _("That file is not a photo. Use JPEG, PNG, WebP or HEIC."),
        "too_many_pixels": _("That image is too large in pixels. Use a normal phone photo."),
        "too_many_pixels_full": _(
            "This PNG, WebP or HEIC photo is too large in pixels. Send it as a JPEG, "
            "or choose a smaller photo."
        ),
        "corrupt": _("That photo file is damaged. Take or choose it again."),
    }
