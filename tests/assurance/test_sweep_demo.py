"""The demo's sweep: an online-accounts import, two signed-off sweeps and this week's open one, loaded once."""

import pytest
from django.core.management import call_command

from recordaccess.assurance import demo_sweep, exclusion, sweep
from recordaccess.patients.models import OnlineAccountImport
from recordaccess.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_signed_off_sweeps_and_this_weeks_open_one():
    call_command("demo", verbosity=0)
    practice = Practice.objects.get(ods_code="Y12345")
    counts = []
    demo_sweep.load(practice=practice, report=lambda what, count: counts.append(count))
    assert counts == [0, 0]  # `recordaccess demo` loaded them (assurance/demo.py), once
    assert len(exclusion.history(practice)) == 6
    record = sweep.sweep_record(practice)
    assert [bool(s.signed_off_at) for s in record] == [False, True, True]
    assert all(s.patients for s in record)
    assert sum(record[1].by_outcome.values()) == record[1].patients
    assert OnlineAccountImport.objects.get(practice=practice).status == "completed"
