import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp import match_token

from recordaccess.patients import nhs_number
from recordaccess.patients.models import Patient
from recordaccess.practices.models import Membership, Practice, StaffUser
from recordaccess.practices.roles import Role

pytestmark = pytest.mark.django_db

DRAMA_MOBILE = re.compile(r"^07700900\d{3}$")


@pytest.fixture
def demo(capsys):
    call_command("demo")
    capsys.readouterr()
    return Practice.objects.get(ods_code="Y12345")


def test_the_demo_practice_has_one_account_per_role_and_2000_patients(demo):
    roles = sorted(Membership.objects.filter(practice=demo).values_list("role", flat=True))
    assert roles == sorted(Role.values)
    assert demo.patients.count() == 2000
    assert demo.dpia.is_recorded


def test_the_demo_has_flags_that_put_some_patients_under_review_and_two_cohorts(demo):
    assert demo.patients.filter(access_status="enhanced_review").count() > 20
    assert demo.patients.filter(flags__kind="large_print").exists()
    assert demo.cohorts.count() == 2


def test_the_demo_templates_are_installed_and_approved(demo):
    templates = demo.message_templates.all()
    assert templates.count() > 10
    assert set(templates.values_list("status", flat=True)) == {"approved"}


def test_demo_patients_are_synthetic_and_cannot_reach_anyone(demo):
    numbers = list(demo.patients.values_list("nhs_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(nhs_number.is_valid(n) and n.startswith("999") for n in numbers)
    mobiles = [m for m in demo.patients.values_list("mobile", flat=True) if m]
    assert mobiles and all(DRAMA_MOBILE.match(m) for m in mobiles)
    emails = [e for e in demo.patients.values_list("email", flat=True) if e]
    assert emails and all(e.endswith("@example.com") for e in emails)


def test_demo_patients_span_ages_from_children_to_the_very_old(demo):
    from datetime import date

    ages = [(date.today() - dob).days // 365 for dob in demo.patients.values_list("date_of_birth", flat=True)]
    assert min(ages) < 16 < max(ages)
    assert max(ages) >= 80


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    call_command("demo", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "practice": "Y12345",
        "created": {"staff accounts": 0, "patients": 0, "flags": 0, "cohorts": 0, "templates": 0},
    }
    assert Practice.objects.count() == 1
    assert StaffUser.objects.count() == 4
    assert Patient.objects.count() == 2000


def test_if_empty_leaves_a_loaded_demo_alone(demo, capsys):
    call_command("demo", "--if-empty")
    assert "Demo already loaded" in capsys.readouterr().out


def test_the_demo_refuses_to_run_in_production(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="not available in production") as failure:
        call_command("demo")
    assert failure.value.returncode == 2
    assert not Practice.objects.exists()


def test_demo_logins_print_a_code_the_server_accepts(demo, capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    match = re.search(r"username  demo-reception\n    password  (.+)\n    code now  (\d{6})", out)
    assert match
    user = StaffUser.objects.get(username="demo-reception")
    assert user.check_password(match.group(1))
    assert match_token(user, match.group(2)) is not None


def test_demo_logins_say_how_to_load_the_demo_when_there_is_none(capsys):
    call_command("demo_logins")
    assert "run `recordaccess demo`" in capsys.readouterr().out
