"""Notify's per-key limit holds across workers: the allowance lives in the database, not in a process."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from recordaccess.outreach.models import SendAllowance
from recordaccess.outreach.ratelimit import seconds_to_next_window, take

NOON = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0, 3))


@pytest.mark.django_db
def test_a_second_grants_a_sixty_first_of_the_minutes_limit_then_nothing():
    assert take("notify:requests", 400, per_minute=3000, now=NOON) == 49
    assert take("notify:requests", 400, per_minute=3000, now=NOON) == 0
    assert (
        take("notify:requests", 1, per_minute=3000, now=NOON + datetime.timedelta(microseconds=999_999)) == 0
    )


@pytest.mark.django_db
def test_the_next_second_starts_afresh_and_keys_are_separate():
    take("notify:requests", 500, per_minute=3000, now=NOON)
    assert take("notify:requests", 500, per_minute=3000, now=NOON + datetime.timedelta(seconds=1)) == 49
    assert take("other:requests", 10, per_minute=3000, now=NOON) == 10


@pytest.mark.django_db
def test_no_minute_ever_holds_more_than_notify_allows_and_the_sends_are_spread_through_it():
    """Taking as fast as allowed for three minutes, every rolling minute (from any tenth of a second) stays
    within 3,000, and no second holds more than a sixtieth of it: no burst."""
    granted = []
    for tenth in range(1800):
        at = NOON + datetime.timedelta(milliseconds=100 * tenth)
        if n := take("notify:requests", 100, per_minute=3000, now=at):
            granted.append((at, n))
    for start in range(0, 1200):
        begins = NOON + datetime.timedelta(milliseconds=100 * start)
        in_minute = sum(n for at, n in granted if begins <= at < begins + datetime.timedelta(minutes=1))
        assert in_minute <= 3000, (begins, in_minute)
    assert max(n for _, n in granted) <= 50
    assert sum(n for _, n in granted) >= 3 * 2900  # close to the limit: 49 a second


@pytest.mark.django_db
def test_a_keys_old_windows_are_forgotten_as_new_ones_open():
    for second in range(0, 180, 1):
        take("notify:requests", 1, per_minute=3000, now=NOON + datetime.timedelta(seconds=second))
    assert SendAllowance.objects.filter(key="notify:requests").count() <= 62


def test_the_wait_is_until_the_next_window():
    assert seconds_to_next_window(NOON + datetime.timedelta(milliseconds=250)) == pytest.approx(0.75)


@pytest.mark.django_db(transaction=True)
def test_four_workers_together_never_exceed_the_limit():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent workers need a server database; the in-memory SQLite test database is one connection"
        )
    granted, errors = [], []

    def worker():
        try:
            for _ in range(10):
                granted.append(take("notify:requests", 40, per_minute=3000, now=NOON))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(granted) == 49  # 1,600 wanted, a second's worth (3,000 a minute / 61) granted
