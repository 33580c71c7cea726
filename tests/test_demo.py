"""Loading the demo: what it says it made, a Y12345 made by hand, and refusal in production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recordaccess.practices.models import Membership, Practice
from recordaccess.practices.roles import Role
from tests import factories
from tests.test_demo_loaded import DEMO_USERNAMES

pytestmark = pytest.mark.django_db


def test_the_summary_says_what_was_created_and_what_was_already_there(capsys, db):
    call_command("demo")
    assert "created 1 practice, 6 staff accounts, 2 organisations, 2,000 patients" in capsys.readouterr().out
    call_command("demo")
    assert "already there: practice, staff accounts, organisations, patients" in capsys.readouterr().out


def test_a_y12345_made_by_hand_becomes_the_demo_practice_and_keeps_its_own_staff(capsys):
    practice = factories.practice("Y12345", name="Lead's Surgery")
    factories.staff(practice, Role.ADMINISTRATOR, "alice")
    call_command("demo", "--if-empty")
    assert "created 6 staff accounts, 2 organisations, 2,000 patients" in capsys.readouterr().out
    practice.refresh_from_db()
    assert practice.name == "Lead's Surgery"
    assert practice.dpia.is_recorded
    assert practice.patients.count() == 2000
    members = set(Membership.objects.filter(practice=practice).values_list("user__username", flat=True))
    assert members == {"alice", *DEMO_USERNAMES} - {"demo-icb"}  # the ICB's observer belongs to no practice
    call_command("demo", "--if-empty")
    assert "Demo already loaded" in capsys.readouterr().out


def test_the_demo_refuses_to_run_in_production(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="not available in production") as failure:
        call_command("demo")
    assert failure.value.returncode == 2
    assert not Practice.objects.exists()


def test_demo_logins_say_how_to_load_the_demo_when_there_is_none(capsys, db):
    call_command("demo_logins")
    assert "No demo practice yet: run `.venv/bin/recordaccess demo`" in capsys.readouterr().out
