"""What stands between the public form and the practice: body size, rate limits per client and per practice.
CSRF, the Content Security Policy and the other headers are set for every page in settings.py.

The form's limits are checked when a patient starts it, not when they send it (H43): once started, an answer in
progress is allowed to finish, so no one is turned away after answering every page. A start takes one from the
client's and from the practice's hourly allowance, and the practice's allowance grows with its list, so the hour
after a campaign is served."""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

from recordaccess.core.network import client_address
from recordaccess.outreach.ratelimit import left_per, take_per, window_per
from recordaccess.patients.models import Patient

HOUR = 3600
STARTED = "request:{}:started"


def client_key(request) -> str:
    """The client's address (behind trusted proxies, the forwarded one), hashed: the allowance table holds none."""
    return hashlib.sha256((client_address(request) or "unknown").encode()).hexdigest()[:24]


def practice_limit(practice) -> int:
    """Requests a practice takes in an hour: a share of its registered list, and never fewer than the floor."""
    registered = Patient.objects.filter(practice=practice, status="registered").count()
    return max(
        settings.INTAKE_PER_PRACTICE_PER_HOUR, registered * settings.INTAKE_PER_1000_PATIENTS_PER_HOUR // 1000
    )


# How long a process keeps a practice's limit before counting its list again.
LIMIT_KEPT_SECONDS = 60


def kept_practice_limit(practice) -> int:
    """`practice_limit`, counted at most once a minute by each process. Counting a register of 100,000 took longer
    than the page itself and ran on every start of the form (the load run, benchmarks/results.md); a list changes
    with an import, a few times a day, so a minute-old count is the same limit. The key names the practice (its
    id and when it was made, so an id used again is a new key) and the two settings the limit comes from."""
    key = (
        f"intake:limit:{practice.pk}:{practice.created_at.timestamp() if practice.created_at else ''}:"
        f"{settings.INTAKE_PER_PRACTICE_PER_HOUR}:{settings.INTAKE_PER_1000_PATIENTS_PER_HOUR}"
    )
    limit = cache.get(key)
    if limit is None:
        limit = practice_limit(practice)
        cache.set(key, limit, LIMIT_KEPT_SECONDS)
    return limit


def _allowances(request, practice, action: str) -> list[tuple[str, int]]:
    if action == "submit":
        return [
            (f"intake:submit:client:{client_key(request)}", settings.INTAKE_PER_CLIENT_PER_HOUR),
            (f"intake:submit:practice:{practice.pk}", kept_practice_limit(practice)),
        ]
    return [(f"intake:{action}:client:{client_key(request)}", settings.STATUS_CHECKS_PER_CLIENT_PER_HOUR)]


def within_limits(request, practice, action: str) -> bool:
    """Take one from each hourly allowance for `action`: "submit" (a start of the form) or "status". One
    transaction, so SQLite's write lock is taken once."""
    with transaction.atomic():
        return all(
            take_per(key, 1, limit=limit, seconds=HOUR)
            for key, limit in _allowances(request, practice, action)
        )


def started(request, practice) -> bool:
    return bool(request.session.get(STARTED.format(practice.ods_code)))


def may_start(request, practice) -> bool:
    """Whether a patient not yet started would be let in: a read, so showing a page writes nothing."""
    return started(request, practice) or all(
        left_per(key, limit=limit, seconds=HOUR) > 0
        for key, limit in _allowances(request, practice, "submit")
    )


def start(request, practice) -> bool:
    """Let the patient start the form, counting it once; a patient already started goes on."""
    if started(request, practice):
        return True
    if not within_limits(request, practice, "submit"):
        return False
    request.session[STARTED.format(practice.ods_code)] = True
    return True


def finish(request, practice) -> None:
    """The request is sent: another from this session is a new start."""
    request.session.pop(STARTED.format(practice.ods_code), None)


def come_back_time(now: datetime.datetime) -> str:
    """When the allowances start afresh, in plain English and UK time: "after 3pm today"."""
    then = timezone.localtime(window_per(HOUR, now) + datetime.timedelta(seconds=HOUR))
    if then.hour == 0:
        return "after midnight tonight"
    # Windows start on the hour, and the UK's offsets are whole hours: "3pm", never "3:17pm".
    clock = "midday" if then.hour == 12 else f"{(then.hour - 1) % 12 + 1}{'am' if then.hour < 12 else 'pm'}"
    return f"after {clock} {'today' if then.date() == timezone.localtime(now).date() else 'tomorrow'}"


def too_many(request, practice):
    return render(
        request,
        "intake/too_many.jinja",
        {"practice": practice, "come_back": come_back_time(timezone.now())},
        status=429,
    )


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
