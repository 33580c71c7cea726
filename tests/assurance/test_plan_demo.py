"""The demo practice has a practice plan, approved, with every section done; loading it again changes nothing."""

import pytest
from django.core.management import call_command

from recordaccess.assurance import demo_plan
from recordaccess.assurance import plan as plans
from recordaccess.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_the_demo_practice_has_an_approved_plan(capsys):
    call_command("demo", verbosity=0)
    practice = Practice.objects.get(ods_code="Y12345")
    reported = []
    for _ in range(2):
        demo_plan.load(practice, lambda label, count: reported.append((label, count)))
    latest = plans.latest(practice)
    if reported[0][1] == 0:  # the demo command loads the plan itself (folded into assurance/demo.py)
        assert reported == [("practice plan versions", 0)] * 2
    else:
        assert reported == [("practice plan versions", 1), ("practice plan versions", 0)]
    assert latest.is_approved and latest.number == 1
    assert {s["status"] for s in latest.snapshot["sections"]} == {plans.DONE}
