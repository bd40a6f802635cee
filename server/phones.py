"""WhatsApp numbers: Indonesian mobile numbers in any usual spelling, stored as E.164. Shared
by accounts (sign-up, sign-in) and web (rate limits keyed by number)."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_phone(raw: str) -> str:
    """0812-3456-7890, 62812…, +62 812… → +6281234567890; anything else is refused."""
    cleaned = raw.strip()
    # phonenumbers reads letters as keypad digits (0812-ABCD-…) or an extension: a typo here.
    if any(char.isalpha() for char in cleaned):
        raise InvalidPhoneNumber(raw)
    if cleaned.startswith("62"):
        cleaned = "+" + cleaned
    try:
        number = phonenumbers.parse(cleaned, "ID")
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(raw) from error
    if (
        number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def released_phone(account_id: int) -> str:
    """What an account holds once an admin released its number to the real owner: unique,
    and never a number (normalize_phone only makes "+…")."""
    return f"released-{account_id}"


def is_whatsapp_number(phone: str | None) -> bool:
    """False for a released number or a deleted account's placeholder (server.privacy.erasure)."""
    return bool(phone) and str(phone).startswith("+")


def display_phone(e164: str) -> str:
    """+6281234567890 → 0812-3456-7890, the way Indonesians write it; "" for no number."""
    if not is_whatsapp_number(e164):
        return ""
    number = phonenumbers.parse(e164, "ID")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def whatsapp_link(e164: str) -> str:
    return "https://wa.me/" + e164.removeprefix("+")
