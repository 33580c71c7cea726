"""What stands between the public form and the practice: body size, rate limits per client and per practice.
CSRF, the Content Security Policy and the other headers are set for every page in settings.py."""

import functools
import hashlib

from django.conf import settings
from django.shortcuts import render

from recordaccess.network import client_address
from recordaccess.outreach.ratelimit import take_per

HOUR = 3600


def client_key(request) -> str:
    """The client's address (behind trusted proxies, the forwarded one), hashed: the allowance table holds none."""
    return hashlib.sha256((client_address(request) or "unknown").encode()).hexdigest()[:24]


def within_limits(request, practice, action: str) -> bool:
    """Take one from the client's and the practice's hourly allowances for `action`."""
    per_client = (
        settings.INTAKE_PER_CLIENT_PER_HOUR
        if action == "submit"
        else settings.STATUS_CHECKS_PER_CLIENT_PER_HOUR
    )
    if not take_per(f"intake:{action}:client:{client_key(request)}", 1, limit=per_client, seconds=HOUR):
        return False
    if action == "submit":
        key = f"intake:submit:practice:{practice.pk}"
        return bool(take_per(key, 1, limit=settings.INTAKE_PER_PRACTICE_PER_HOUR, seconds=HOUR))
    return True


def too_many(request, practice):
    return render(request, "intake/too_many.jinja", {"practice": practice}, status=429)


def limit_body(view):
    """Refuse a body larger than any honest answer before Django reads it."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = settings.INTAKE_MAX_BODY_BYTES + 1
        if length > settings.INTAKE_MAX_BODY_BYTES:
            return render(request, "intake/too_large.jinja", {"practice": None}, status=413)
        return view(request, *args, **kwargs)

    return guarded
