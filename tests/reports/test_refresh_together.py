"""Two workers rebuilding one practice's figures at once: the second waits for the first, neither fails.

Seen in the fault run: both RQ workers ran refresh_figures together and one failed on one_daily_figures_a_day.
To make the overlap certain, each rebuild waits (a second at most) at its insert for the other to get there: with
the lock, the second never gets there while the first holds it, so the wait times out and they go one by one."""

import contextlib
import threading
from unittest import mock

import pytest
from django.db import connection, connections

from recordaccess.reports import refresh
from recordaccess.reports.models import DailyFigures, FiguresRefresh
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_of_one_practice_at_once_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent rebuilds need a server database; the in-memory SQLite test database is one connection"
        )
    practice = factories.practice("A81009", name="Twin Workers Surgery")
    both_inserting = threading.Barrier(2, timeout=1)
    bulk_create = DailyFigures.objects.bulk_create
    errors = []

    def meet_then_insert(rows, **options):
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for the lock, as it should
            both_inserting.wait()
        return bulk_create(rows, **options)

    def rebuild():
        try:
            refresh.refresh_practice(practice)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(
        type(DailyFigures.objects), "bulk_create", side_effect=meet_then_insert, autospec=False
    ):
        threads = [threading.Thread(target=rebuild) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert FiguresRefresh.objects.filter(practice=practice).count() == 1
    days = list(DailyFigures.objects.filter(practice=practice).values_list("day", flat=True))
    assert days and len(days) == len(set(days))
