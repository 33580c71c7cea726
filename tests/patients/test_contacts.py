import pytest
from hypothesis import given
from hypothesis import strategies as st

from recordaccess.patients.contacts import (
    ContactError,
    format_uk_mobile,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
    normalise_uk_phone,
)


@pytest.mark.parametrize(
    "written",
    [
        "07700900123",
        "07700 900123",
        "07700 900 123",
        "07700-900-123",
        "7700900123",
        "447700900123",
        "+447700900123",
        "+44 7700 900123",
        "+44 (0)7700 900 123",
        "0044 7700 900123",
        "\u200b\t+44 (0)7700 900 123\ufeff ",
    ],
)
def test_uk_mobiles_in_any_usual_form_become_one_form(written):
    assert normalise_uk_mobile(written) == "07700900123"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("0113 496 0000", "Not a UK mobile number"),
        ("07700 9001", "too few digits"),
        ("07700 90012345", "too many digits"),
        ("07700 9OO123", "letters or symbols"),
        ("", "empty"),
    ],
)
def test_bad_mobiles_say_what_is_wrong(bad, reason):
    with pytest.raises(ContactError, match=reason):
        normalise_uk_mobile(bad)


def test_mobiles_are_shown_as_people_write_them():
    assert format_uk_mobile("07700900123") == "07700 900123"


@given(st.integers(min_value=0, max_value=999_999_999))
def test_every_07_number_with_nine_more_digits_is_accepted(rest):
    assert normalise_uk_mobile(f"07{rest:09d}") == f"07{rest:09d}"


@pytest.mark.parametrize("good", ["zoe@example.com", "a.b+c@nhs.net", "x@sub.example.co.uk"])
def test_valid_emails_pass(good):
    assert normalise_email(f"  {good} ") == good


@pytest.mark.parametrize(
    "bad",
    [
        "zoe",
        "zoe@",
        "@example.com",
        "zoe@example",
        "zoe@@example.com",
        "zo e@example.com",
        "a..b@example.com",
        "a@b.c",
    ],
)
def test_invalid_emails_are_refused(bad):
    with pytest.raises(ContactError):
        normalise_email(bad)


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("ls14ap", "LS1 4AP"),
        ("LS1 4AP", "LS1 4AP"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(written, normal):
    assert normalise_postcode(written) == normal


@pytest.mark.parametrize("bad", ["LS1", "12345", "LS1 4A", "QQ1 1AA!", ""])
def test_invalid_postcodes_are_refused(bad):
    with pytest.raises(ContactError, match="postcode"):
        normalise_postcode(bad)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("0113 496 0000", "01134960000"),  # a Leeds landline
        ("+44 (0)20 7946 0000", "02079460000"),  # London
        ("0300 123 1234", "03001231234"),  # non-geographic, charged as a landline
        ("016977 3456", "0169773456"),  # one of the few 01 areas with nine digits after the 0
        ("07700 900123", "07700900123"),  # a mobile is a phone too
    ],
)
def test_uk_landlines_and_mobiles_are_numbers_to_call(written, normalised):
    assert normalise_uk_phone(written) == normalised


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("", "Phone number is empty"),
        ("0113 FOUR", "must not contain letters"),
        ("0906 123 4567", "Not a UK phone number"),
        ("0800 123 4567", "Not a UK phone number"),
        ("0113 496 00001", "too many digits"),
        ("0113 496", "too few digits"),
        ("020 7946 000", "too few digits"),
    ],
)
def test_numbers_we_cannot_call_are_refused_with_the_reason(written, problem):
    with pytest.raises(ContactError, match=problem):
        normalise_uk_phone(written)
