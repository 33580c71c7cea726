"""UK mobile and phone numbers, email addresses and postcodes: the one place they are checked and normalised.

Mobile and email follow GOV.UK Notify's published rules for recipients, so that what we accept here is
what Notify will accept when outreach sends to it. Each check returns the normalised value or raises
ContactError with a message a practice manager can act on.
"""

import re

from recordaccess.core.errors import DomainError

OBSCURE_WHITESPACE = "\u180e\u200b\u200c\u200d\u2060\u00a0\ufeff"
_PHONE_STRIP = str.maketrans("", "", " \t\r\n()-+." + OBSCURE_WHITESPACE)
# Notify's email check: a local part of the allowed characters, one @, and a hostname with a dot.
_EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)$")
_HOSTNAME_LABEL = re.compile(r"^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$", re.IGNORECASE)
_TLD = re.compile(r"^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)
_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")


class ContactError(DomainError):
    """A contact detail that cannot be used, with the reason."""


def normalise_uk_mobile(value: str) -> str:
    """'+44 (0)7700 900123', '447700900123', '07700-900-123' → '07700900123'."""
    digits = value.translate(_PHONE_STRIP)
    if not digits:
        raise ContactError("Mobile number is empty")
    if not digits.isdigit():
        raise ContactError("Mobile number must not contain letters or symbols")
    digits = digits.lstrip("0")
    if digits.startswith("44"):
        digits = digits[2:].lstrip("0")
    if not digits.startswith("7"):
        raise ContactError("Not a UK mobile number (UK mobiles start 07)")
    if len(digits) > 10:
        raise ContactError("Mobile number has too many digits")
    if len(digits) < 10:
        raise ContactError("Mobile number has too few digits")
    return "0" + digits


def normalise_uk_phone(value: str) -> str:
    """A number we can call back, landline or mobile: '+44 113 496 0000', '0113-496-0000' → '01134960000'.
    UK numbers start 01 or 02 (landlines), 03 (non-geographic, charged as landlines) or 07 (mobiles), and have
    10 digits after the 0 (9 for a few 01 areas); 08 and 09 numbers cost the practice to call and are refused."""
    digits = value.translate(_PHONE_STRIP)
    if not digits:
        raise ContactError("Phone number is empty")
    if not digits.isdigit():
        raise ContactError("Phone number must not contain letters or symbols")
    digits = digits.lstrip("0")
    if digits.startswith("44"):
        digits = digits[2:].lstrip("0")
    if not digits or digits[0] not in "1237":
        raise ContactError("Not a UK phone number (UK numbers start 01, 02, 03 or 07)")
    if len(digits) > 10:
        raise ContactError("Phone number has too many digits")
    if len(digits) < (9 if digits[0] == "1" else 10):
        raise ContactError("Phone number has too few digits")
    return "0" + digits


def format_uk_mobile(number: str) -> str:
    """As people write them: 07700 900123."""
    return f"{number[:5]} {number[5:]}" if len(number) == 11 else number


def normalise_email(value: str) -> str:
    address = value.strip().strip(OBSCURE_WHITESPACE)
    if len(address) > 320:
        raise ContactError("Email address is too long")
    match = _EMAIL.match(address)
    if not match or ".." in address:
        raise ContactError("Not a valid email address")
    hostname = match.group(1)
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise ContactError("Not a valid email address") from error
    labels = hostname.split(".")
    if len(hostname) > 253 or len(labels) < 2:
        raise ContactError("Not a valid email address")
    if not all(label and len(label) <= 63 and _HOSTNAME_LABEL.match(label) for label in labels):
        raise ContactError("Not a valid email address")
    if not _TLD.match(labels[-1]):
        raise ContactError("Not a valid email address")
    return address


def normalise_postcode(value: str) -> str:
    """'ls14ap' → 'LS1 4AP'."""
    compact = "".join(value.split()).upper()
    if not _POSTCODE.match(compact):
        raise ContactError("Not a valid UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"
