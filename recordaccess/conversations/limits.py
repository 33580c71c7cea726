"""How often a stranger may book or cancel drop-in places: per client address and per phone number, in hourly
allowances kept by outreach's allowance table (the same table the request form's limits use), so one person
cannot fill a session's places, or text a stranger's phone again and again."""

import hashlib

from django.conf import settings
from django.db import transaction

from recordaccess.intake.security import HOUR, client_key
from recordaccess.outreach.ratelimit import take_per


def client_allows(request) -> bool:
    """Take one from the client's hourly allowance: every booking or cancelling post counts, good or bad."""
    with transaction.atomic():
        return bool(
            take_per(
                f"drop-in:client:{client_key(request)}",
                1,
                limit=settings.DROP_IN_POSTS_PER_CLIENT_PER_HOUR,
                seconds=HOUR,
            )
        )


def phone_allows(phone: str) -> bool:
    """Take one from the number's hourly allowance (the number hashed: the table holds none)."""
    key = hashlib.sha256(f"drop-in:{phone}".encode()).hexdigest()[:24]
    with transaction.atomic():
        return bool(
            take_per(
                f"drop-in:phone:{key}", 1, limit=settings.DROP_IN_BOOKINGS_PER_PHONE_PER_HOUR, seconds=HOUR
            )
        )
