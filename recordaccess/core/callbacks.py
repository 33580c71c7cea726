"""What every GOV.UK Notify callback checks before it reads anything: the bearer token Notify was given, and
identifiers no longer than the columns that hold them. Delivery receipts (outreach/callbacks.py) and text
messages patients send back (replies/views.py) both use them."""

import hmac
import re

from django.conf import settings
from django.http import HttpRequest, JsonResponse

# Our references (RA-12-345, ACK-K7M2Q9XD…) and Notify's ids (UUIDs) alike: no longer than the columns that
# hold them, and made only of characters a reference is made of.
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}")


def authorised(request: HttpRequest) -> bool:
    """Notify sends `Authorization: Bearer <token>`: the token alone, or under another scheme, is refused."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme == "Bearer" and hmac.compare_digest(given.encode(), expected.encode())


def malformed(name: str, value) -> JsonResponse | None:
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        return None
    return JsonResponse(
        {
            "error": f"{name} must be 1 to 40 letters, digits, hyphens, dots, colons or underscores, "
            "starting with a letter or digit"
        },
        status=400,
    )
