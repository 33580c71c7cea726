"""Notify's per-key limit holds across workers: the allowance lives in the database, not in a process."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from recordaccess.outreach.ratelimit import seconds_to_next_window, take

NOON = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0, 3))


@pytest.mark.django_db
def test_a_window_grants_a_sixth_of_the_minutes_limit_then_nothing():
    assert take("notify:requests", 400, per_minute=3000, now=NOON) == 400
    assert take("notify:requests", 400, per_minute=3000, now=NOON) == 100
    assert take("notify:requests", 1, per_minute=3000, now=NOON + datetime.timedelta(seconds=5)) == 0


@pytest.mark.django_db
def test_the_next_window_starts_afresh_and_keys_are_separate():
    take("notify:requests", 500, per_minute=3000, now=NOON)
    assert take("notify:requests", 500, per_minute=3000, now=NOON + datetime.timedelta(seconds=10)) == 500
    assert take("other:requests", 10, per_minute=3000, now=NOON) == 10


def test_the_wait_is_until_the_next_window():
    assert seconds_to_next_window(NOON) == pytest.approx(7.0)


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
    assert sum(granted) == 500  # 1,600 wanted, a window's worth (3,000 a minute / 6) granted
