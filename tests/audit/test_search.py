import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor, record
from recordaccess.patients.models import Patient
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, practice):
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "im.admin"))


def _patient(practice, nhs_number="9434765919"):
    return Patient.objects.create(
        practice=practice, nhs_number=nhs_number, given_name="Zoë", family_name="Ní Bhriain",
        date_of_birth=datetime.date(1980, 2, 1),
    )  # fmt: skip


def _rows(response) -> str:
    return response.content.decode().split('id="audit-entries"', 1)[-1]


def test_administrators_search_the_trail_by_patient(admin_client, practice):
    patient = _patient(practice)
    reviewer = factories.staff(practice, Role.REVIEWER, "dr.who")
    record(
        actor=Actor(reviewer.pk, "dr.who"),
        action="patient.view",
        practice_ods="A81001",
        patient_id=patient.pk,
    )
    record(actor=Actor(reviewer.pk, "dr.who"), action="practice.update", practice_ods="A81001")
    response = admin_client.get(
        reverse("staff:audit", kwargs={"ods": "A81001"}), {"nhs_number": "943 476 5919"}
    )
    rows = _rows(response)
    assert "patient.view" in rows
    assert "practice.update" not in rows


def test_administrators_search_by_staff_member_and_date(admin_client, practice):
    reviewer = factories.staff(practice, Role.REVIEWER, "dr.who")
    record(actor=Actor(reviewer.pk, "dr.who"), action="patient.view", practice_ods="A81001")
    today = timezone.localdate().isoformat()
    url = reverse("staff:audit", kwargs={"ods": "A81001"})
    rows = _rows(admin_client.get(url, {"staff": reviewer.pk, "date_from": today, "date_to": today}))
    assert "dr.who" in rows and "patient.view" in rows
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    rows = _rows(admin_client.get(url, {"staff": reviewer.pk, "date_to": yesterday}))
    assert "patient.view" not in rows


def test_another_practices_entries_never_show(admin_client, practice, other_practice):
    record(actor=Actor(99, "elsewhere"), action="patient.view", practice_ods=other_practice.ods_code)
    rows = _rows(admin_client.get(reverse("staff:audit", kwargs={"ods": "A81001"})))
    assert "elsewhere" not in rows


def test_a_bad_nhs_number_gets_a_specific_error(admin_client):
    response = admin_client.get(
        reverse("staff:audit", kwargs={"ods": "A81001"}), {"nhs_number": "1234567890"}
    )
    assert "Enter a valid 10-digit NHS number" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_searching_the_trail_is_itself_audited(admin_client):
    admin_client.get(reverse("staff:audit", kwargs={"ods": "A81001"}), {"nhs_number": "9434765919"})
    entry = AuditEntry.objects.filter(action="audit.search").get()
    assert entry.actor == "im.admin" and "9434765919" in entry.detail


def test_the_trail_page_offers_no_way_to_edit(admin_client):
    record(actor=Actor(1, "x"), action="patient.view", practice_ods="A81001")
    page = admin_client.get(reverse("staff:audit", kwargs={"ods": "A81001"})).content.decode()
    assert 'method="post"' not in page.split("<main", 1)[1].lower()
