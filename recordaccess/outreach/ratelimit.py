"""Rate and daily limits shared by all workers on all machines, kept in the database.

Notify allows 3,000 requests a minute per API key, counted over any minute. We hand out a sixty-first of that in
each one-second window: any minute meets at most 61 of them, so no minute ever holds more than Notify allows, and
the sends are spread evenly through it. (A sixth of the minute handed out every 10 seconds was sent in a burst at
the start of each window, and on a 2-core machine the web pages stalled for half a second every 10 seconds while
it went: the load run, benchmarks/results.md.) Its daily limits per channel are counted in a window that starts
at midnight, UK time.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.outreach.models import SendAllowance

WINDOW_SECONDS = 1
WINDOWS_A_MINUTE_MEETS = 60 // WINDOW_SECONDS + 1
KEPT = datetime.timedelta(minutes=1)  # a key's rate windows older than this are forgotten as a new one opens


def take(key: str, wanted: int, *, per_minute: int, now: datetime.datetime | None = None) -> int:
    """Reserve up to `wanted` sends in the current window; returns how many were granted (maybe 0)."""
    now = now or timezone.now()
    window = now.replace(second=now.second - now.second % WINDOW_SECONDS, microsecond=0)
    return _take(
        key, window, max(1, per_minute // WINDOWS_A_MINUTE_MEETS), wanted, forget_before=window - KEPT
    )


def window_per(seconds: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the fixed window of `seconds` that `now` falls in (on the hour, for an hour)."""
    epoch = int((now or timezone.now()).timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def take_per(key: str, wanted: int, *, limit: int, seconds: int, now: datetime.datetime | None = None) -> int:
    """Reserve up to `wanted` of `limit` in a fixed window of `seconds` (an hour, say)."""
    return _take(key, window_per(seconds, now), limit, wanted)


def left_per(key: str, *, limit: int, seconds: int, now: datetime.datetime | None = None) -> int:
    """How much of `limit` is left in the current window, without taking any (a read: no write lock)."""
    row = SendAllowance.objects.filter(key=key, window=window_per(seconds, now)).first()
    return max(0, limit - (row.used if row else 0))


def start_of_day(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def take_daily(key: str, wanted: int, *, per_day: int, now: datetime.datetime | None = None) -> int:
    """Reserve up to `wanted` of today's allowance."""
    return _take(f"{key}:day", start_of_day(now), per_day, wanted)


def used_today(key: str, now: datetime.datetime | None = None) -> int:
    row = SendAllowance.objects.filter(key=f"{key}:day", window=start_of_day(now)).first()
    return row.used if row else 0


def next_day(now: datetime.datetime | None = None) -> datetime.datetime:
    return start_of_day(start_of_day(now) + datetime.timedelta(hours=26))


def _take(
    key: str,
    window: datetime.datetime,
    limit: int,
    wanted: int,
    forget_before: datetime.datetime | None = None,
) -> int:
    with transaction.atomic():
        try:
            with transaction.atomic():
                _, opened = SendAllowance.objects.get_or_create(key=key, window=window)
            if opened and forget_before is not None:
                SendAllowance.objects.filter(key=key, window__lt=forget_before).delete()
        except IntegrityError:
            pass  # another worker created this window's row first
        allowance = SendAllowance.objects.select_for_update().get(key=key, window=window)
        granted = max(0, min(wanted, limit - allowance.used))
        if granted:
            SendAllowance.objects.filter(pk=allowance.pk).update(used=allowance.used + granted)
    return granted


def seconds_to_next_window(now: datetime.datetime | None = None) -> float:
    now = now or timezone.now()
    return WINDOW_SECONDS - (now.second % WINDOW_SECONDS) - now.microsecond / 1e6
