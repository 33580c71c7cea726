"""Every field of a request, checked on the server: each bad value gets a message that says how to put it
right, in the NHS service manual's words. Pure functions, so hypothesis can test them (tests/intake)."""

import datetime
import re
import unicodedata

from recordaccess.core import nhs_number
from recordaccess.core.errors import DomainError
from recordaccess.patients.contacts import (
    ContactError,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
    normalise_uk_phone,
)

# Between the letters of a name (in any alphabet, with their accents and marks): O'Brien, Anne-Marie, St. John.
SEPARATORS = " '-’."


def _is_name(value: str) -> bool:
    """Letters and their marks, with single separators between them (". " as in "St. John"); a letter first."""
    if not value or unicodedata.category(value[0])[0] != "L":
        return False
    previous = ""
    for ch in value:
        if unicodedata.category(ch)[0] in "LM":
            pass
        elif ch not in SEPARATORS or (previous in SEPARATORS and not (previous == "." and ch == " ")):
            return False
        previous = ch
    return previous not in SEPARATORS or previous == "."


class Invalid(DomainError):
    """A value that cannot be accepted, with the message to show next to the field."""


def text(value: str, *, limit: int, what: str, required: bool = False) -> str:
    """Free text kept as text: trimmed, normalised, no control characters, within its length."""
    cleaned = unicodedata.normalize("NFC", value or "").strip()
    cleaned = "".join(ch for ch in cleaned if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    cleaned = cleaned.replace("\t", " ")
    if required and not cleaned:
        raise Invalid(f"Enter {what}")
    if len(cleaned) > limit:
        subject = re.sub(r"^(a|an|your|their) ", "", what)
        raise Invalid(f"{subject.capitalize()} must be {limit:,} characters or fewer")
    return cleaned


def name(value: str, *, what: str) -> str:
    cleaned = " ".join(text(value, limit=100, what=what, required=True).split())
    if not _is_name(cleaned):
        subject = re.sub(r"^(a|an|your|their) ", "", what)
        raise Invalid(f"{subject.capitalize()} must only include letters, spaces, hyphens and apostrophes")
    return cleaned


def date_of_birth(day: str, month: str, year: str, *, today: datetime.date) -> datetime.date:
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    missing = [part for part, v in parts.items() if not v]
    if len(missing) == 3:
        raise Invalid("Enter your date of birth")
    if missing:
        raise Invalid(f"Date of birth must include a {' and a '.join(missing)}")
    if not all(v.isdigit() for v in parts.values()) or len(parts["year"]) != 4:
        raise Invalid("Date of birth must be a real date, for example 27 3 1985")
    try:
        born = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError as error:
        raise Invalid("Date of birth must be a real date, for example 27 3 1985") from error
    if born > today:
        raise Invalid("Date of birth must be in the past")
    if born.year < today.year - 125:
        raise Invalid("Check the year of birth: it must be after " + str(today.year - 125))
    return born


def address(value: str) -> str:
    cleaned = text(value, limit=500, what="your address", required=True)
    lines = [" ".join(line.split()) for line in cleaned.splitlines() if line.strip()]
    if len(lines) > 6:
        raise Invalid("Enter your address on 6 lines or fewer")
    return "\n".join(lines)


def postcode(value: str) -> str:
    if not (value or "").strip():
        raise Invalid("Enter your postcode")
    try:
        return normalise_postcode(value)
    except ContactError as error:
        raise Invalid("Enter a real postcode, like LS1 4AP") from error


def optional_nhs_number(value: str) -> str:
    number = nhs_number.normalise((value or "").strip())
    if not number:
        return ""
    if len(number) != 10 or not number.isdigit():
        raise Invalid("NHS number must be 10 digits, like 485 777 3456")
    if not nhs_number.is_valid(number):
        raise Invalid("Check your NHS number: it is not a real NHS number")
    return number


PHONE_PROBLEMS = {
    "Phone number must not contain letters or symbols": "Enter a phone number using only numbers, like 0113 496 0000",
    "Not a UK phone number (UK numbers start 01, 02, 03 or 07)": "Enter a UK phone number starting 01, 02, 03 or 07",
    "Phone number has too many digits": "The phone number has too many numbers: check it and enter it again",
    "Phone number has too few digits": "The phone number has too few numbers: check it and enter it again",
}


def optional_phone(value: str) -> str:
    """A number to call the patient on: a landline or a mobile. Each mistake gets its own message."""
    if not (value or "").strip():
        return ""
    try:
        return normalise_uk_phone(value)
    except ContactError as error:
        raise Invalid(
            PHONE_PROBLEMS.get(str(error), "Enter a UK phone number, like 0113 496 0000")
        ) from error


def optional_mobile(value: str) -> str:
    if not (value or "").strip():
        return ""
    try:
        return normalise_uk_mobile(value)
    except ContactError as error:
        raise Invalid("Enter a UK mobile number, like 07700 900 982") from error


def optional_email(value: str) -> str:
    if not (value or "").strip():
        return ""
    try:
        return normalise_email(value)
    except ContactError as error:
        raise Invalid("Enter an email address in the correct format, like name@example.com") from error
