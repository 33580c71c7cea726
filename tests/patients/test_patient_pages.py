import datetime

import pytest
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.patients.models import Flag, FlagKind, Patient
from recordaccess.patients.selectors import search_patients
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _patient(practice, number, given, family, born=datetime.date(1980, 2, 1), **extra):
    return Patient.objects.create(
        practice=practice,
        nhs_number=number,
        given_name=given,
        family_name=family,
        date_of_birth=born,
        **extra,
    )


@pytest.fixture
def people(practice, other_practice):
    return {
        "zoe": _patient(practice, "9434765919", "Zoë", "Smith", mobile="07700900123"),
        "siobhan": _patient(practice, "4010232137", "Siobhán", "Ní Bhriain", datetime.date(1975, 6, 30)),
        "sam": _patient(practice, "9990000018", "Sam", "Smithson", datetime.date(1999, 2, 1)),
        "elsewhere": _patient(other_practice, "9990000026", "Zoe", "Smith"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("943 476 5919", ["zoe"]),
        ("9434765919", ["zoe"]),
        ("smith", ["zoe", "sam"]),
        ("Smi", ["zoe", "sam"]),
        ("zoe smith", ["zoe"]),
        ("smith, zoe", ["zoe"]),
        ("siobhan", []),
        ("siobhan ni bhriain", ["siobhan"]),
        ("ní", ["siobhan"]),
        ("30/06/1975", ["siobhan"]),
        ("1980-02-01", ["zoe"]),
        ("nobody", []),
        ("", []),
    ],
)
def test_search_finds_patients_of_this_practice_only(practice, people, query, expected):
    found = search_patients(practice, query)
    assert sorted(p.pk for p in found) == sorted(people[name].pk for name in expected)


def test_the_search_page_shows_results_and_audits_what_was_shown(client, practice, people):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION, "r.patel"))
    page = client.get(
        reverse("staff:patients", kwargs={"ods": practice.ods_code}), {"q": "smith"}
    ).content.decode()
    assert "SMITH, Zoë" in page and "943 476 5919" in page
    assert "Hillside" not in page
    entry = AuditEntry.objects.get(action="patient.search")
    assert entry.actor == "r.patel" and '"query":"smith"' in entry.detail
    assert str(people["zoe"].pk) in entry.detail


def test_opening_the_search_page_without_a_query_shows_no_one_and_audits_nothing(client, practice, people):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(reverse("staff:patients", kwargs={"ods": practice.ods_code})).content.decode()
    assert "SMITH" not in page
    assert not AuditEntry.objects.filter(action="patient.search").exists()


def test_the_patient_page_shows_details_and_flags_and_is_audited(client, practice, people):
    zoe = people["zoe"]
    Flag.objects.create(
        patient=zoe,
        kind=FlagKind.ENHANCED_REVIEW,
        code="1364731000000104",
        term="Enhanced review indicated before granting access to own health record",
    )
    Flag.objects.create(
        patient=zoe,
        kind=FlagKind.LARGE_PRINT,
        code="957351000000102",
        term="Requires written information in at least 24 point sans serif font",
    )
    reviewer = factories.staff(practice, Role.REVIEWER, "dr.shah")
    factories.sign_in(client, reviewer)
    page = client.get(
        reverse("staff:patient", kwargs={"ods": practice.ods_code, "patient_id": zoe.pk})
    ).content.decode()
    assert "Zoë Smith" in page and "07700 900123" in page
    assert "Enhanced review before online access" in page
    assert "24 point" in page and "Communication needs" in page
    entry = AuditEntry.objects.get(action="patient.view")
    assert (entry.patient_id, entry.actor, entry.practice_ods) == (zoe.pk, "dr.shah", "A81001")


def test_another_practices_patient_is_not_found(client, practice, people):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    url = reverse("staff:patient", kwargs={"ods": practice.ods_code, "patient_id": people["elsewhere"].pk})
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="patient.view").exists()


def test_observers_cannot_search_or_open_patients(client, practice, people):
    factories.sign_in(client, factories.staff(practice, Role.OBSERVER))
    assert (
        client.get(reverse("staff:patients", kwargs={"ods": practice.ods_code}), {"q": "smith"}).status_code
        == 403
    )
    assert not AuditEntry.objects.filter(action="patient.search").exists()
