import pytest

from server.phones import InvalidPhoneNumber, display_phone, normalize_phone, whatsapp_link


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "081234567890",
        "6281234567890",
        "+62 812 3456 7890",
        "+6281234567890",
        "  0812 3456 7890  ",
        "(0812) 3456.7890",
    ],
)
def test_normalize_phone_accepts_usual_spellings_of_a_mobile_number(raw: str) -> None:
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0811-1234-567", "+628111234567"),
        ("0857 1234 5678", "+6285712345678"),
        ("0878-1234-56789", "+62878123456789"),
    ],
)
def test_normalize_phone_accepts_other_operators_and_lengths(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "021-5550-1234",
        "(021) 5550 1234",
        "+62 21 5550 1234",
        "0274 512345",
        "622155501234",
    ],
)
def test_normalize_phone_refuses_landlines(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


@pytest.mark.parametrize(
    "raw",
    ["+1 650 253 0000", "+60 12-345 6789", "+44 7911 123456", "+65 8123 4567"],
)
def test_normalize_phone_refuses_foreign_numbers(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


@pytest.mark.parametrize("raw", ["0812345", "112", "62", "628123", "+62 812", ""])
def test_normalize_phone_refuses_short_numbers(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


def test_normalize_phone_refuses_too_long_numbers() -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone("0812-3456-78901234")


@pytest.mark.parametrize(
    "raw",
    ["telepon", "0812-ABCD-7890", "0812-3456-789O", "O812-3456-7890", "+62 812 3456 7890 ext. 5"],
)
def test_normalize_phone_refuses_letters(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


def test_invalid_phone_number_names_what_was_typed() -> None:
    with pytest.raises(InvalidPhoneNumber) as refused:
        normalize_phone("021-5550-1234")
    assert refused.value.args == ("021-5550-1234",)


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+628111234567", "0811-1234-567"),
        ("+6285712345678", "0857-1234-5678"),
    ],
)
def test_display_phone_writes_it_the_indonesian_way(e164: str, expected: str) -> None:
    assert display_phone(e164) == expected


def test_display_phone_round_trips_through_normalize_phone() -> None:
    assert normalize_phone(display_phone("+6281234567890")) == "+6281234567890"


def test_whatsapp_link_uses_digits_only() -> None:
    assert whatsapp_link("+6281234567890") == "https://wa.me/6281234567890"
