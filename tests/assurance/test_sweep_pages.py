"""The sweep's pages: who works and who reads them, another practice's sweep, the audit of every view, the form's
errors and the overview's overdue item."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from recordaccess.assurance import sweep
from recordaccess.audit.models import AuditEntry
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.sweep_fixtures import BEFORE, WEEK, make

pytestmark = pytest.mark.django_db


def base(practice) -> str:
    return f"/staff/p/{practice.ods_code}/sweeps/"


@pytest.fixture
def worklist(practice):
    make(practice, "Newcomer", registered_on=BEFORE)
    found, _ = sweep.generate(practice, week_starting=WEEK)
    return found, found.entries.get()


@pytest.mark.parametrize(
    ("role", "reads", "works"),
    [
        (Role.ADMINISTRATOR, 200, 302),
        (Role.REVIEWER, 200, 302),
        (Role.RECEPTION, 200, 403),
        (Role.OBSERVER, 403, 403),
    ],
)
def test_administrators_and_reviewers_work_the_sweep_reception_read_it_observers_never_see_it(
    practice, worklist, role, reads, works
):
    found, entry = worklist
    client = factories.sign_in(Client(), factories.staff(practice, role))
    page = client.get(f"{base(practice)}{found.pk}/")
    assert page.status_code == reads
    assert client.get(base(practice)).status_code == reads
    if reads == 200:
        assert "Newcomer" in page.text
        assert AuditEntry.objects.filter(action="sweep.view", object_id=str(found.pk)).exists()
    done = client.post(f"{base(practice)}{found.pk}/patients/{entry.pk}/", {"outcome": "no_action"})
    assert done.status_code == works
    signed = client.post(f"{base(practice)}{found.pk}/sign-off/")
    assert signed.status_code == (302 if works == 302 else 403)
    found.refresh_from_db()
    assert found.is_signed == (works == 302)


def test_another_practices_sweep_is_not_found(practice, other_practice, worklist, staff_client):
    found, entry = worklist
    client = factories.sign_in(Client(), factories.staff(other_practice, Role.ADMINISTRATOR))
    assert client.get(f"{base(other_practice)}{found.pk}/").status_code == 404
    assert client.get(f"{base(other_practice)}{found.pk}/patients/{entry.pk}/").status_code == 404
    assert client.post(f"{base(other_practice)}{found.pk}/sign-off/").status_code == 404


def test_the_outcome_form_says_what_is_missing_and_signing_off_early_is_refused(
    practice, worklist, staff_client
):
    found, entry = worklist
    client = staff_client(Role.REVIEWER)
    url = f"{base(practice)}{found.pk}/patients/{entry.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and AuditEntry.objects.filter(action="sweep.entry_view").exists()
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Choose what you decided for this patient" in empty.text
    no_note = client.post(url, {"outcome": "passed_to_clinician"})
    assert "Say which flag you added, or which clinician you passed it to" in no_note.text
    early = client.post(f"{base(practice)}{found.pk}/sign-off/", follow=True)
    assert "1 patient has no outcome yet" in early.text
    assert not sweep.sweep(practice, found.pk).is_signed


def test_this_weeks_sweep_can_be_made_from_the_page_once(practice, staff_client):
    client = staff_client(Role.ADMINISTRATOR)
    first = client.post(f"{base(practice)}generate/")
    again = client.post(f"{base(practice)}generate/")
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert sweep.sweeps(practice).count() == 1


def test_an_overdue_sweep_is_on_the_overview_for_those_who_work_it(practice, staff_client):
    week = sweep.week_of(timezone.localdate()) - datetime.timedelta(days=7)
    sweep.generate(practice, week_starting=week)
    home = staff_client(Role.ADMINISTRATOR).get(f"/staff/p/{practice.ods_code}/")
    assert '<span class="recordaccess-count">1</span> weekly safety sweep overdue' in home.text
    reception = factories.sign_in(Client(), factories.staff(practice, Role.RECEPTION))
    assert "safety sweep overdue" not in reception.get(f"/staff/p/{practice.ods_code}/").text
