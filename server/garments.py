"""The garment categories orders and skills are about, and a tailor's equipment."""

from server.web.i18n import gettext as _

CATEGORIES = (
    "kemeja",
    "celana",
    "kaos",
    "seragam",
    "gamis",
    "kebaya",
    "batik",
    "jaket",
    "dress",
    "anak",
    "permak",
    "bordir",
)

EQUIPMENT = (
    "mesin_jahit",
    "obras",
    "overdeck",
    "bordir_komputer",
    "lubang_kancing",
    "mesin_potong",
)


def category_labels() -> dict[str, str]:
    return {
        "kemeja": _("Shirts"),
        "celana": _("Trousers"),
        "kaos": _("T-shirts and polos"),
        "seragam": _("Uniforms"),
        "gamis": _("Gamis and Muslim wear"),
        "kebaya": _("Kebaya"),
        "batik": _("Batik"),
        "jaket": _("Jackets"),
        "dress": _("Dresses and skirts"),
        "anak": _("Children's wear"),
        "permak": _("Alterations"),
        "bordir": _("Embroidery"),
    }


def equipment_labels() -> dict[str, str]:
    return {
        "mesin_jahit": _("Sewing machine"),
        "obras": _("Overlock (obras)"),
        "overdeck": _("Coverstitch (overdeck)"),
        "bordir_komputer": _("Computerised embroidery"),
        "lubang_kancing": _("Buttonhole machine"),
        "mesin_potong": _("Fabric cutting machine"),
    }
