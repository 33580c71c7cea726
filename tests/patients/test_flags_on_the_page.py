"""Staff add and end flags on the patient's page; the weekly import and the page agree."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.patients import services
from recordaccess.patients.models import AccessStatus, Flag, FlagKind, Patient
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
DR = Actor.system("dr-jones")
VICTIM, REVIEW, NOT_INDICATED = "205171000000107", "1364731000000104", "1364751000000106"
DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def patient(practice):
    return Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Zoë",
        family_name="Smith",
        date_of_birth=datetime.date(1980, 2, 1),
    )


def add(patient, code=VICTIM, day=DAY, reason="Disclosed at a consultation"):
    return services.add_flag(
        actor=DR, practice=patient.practice, patient_id=patient.pk, code=code, recorded_on=day, reason=reason
    )


def test_a_flag_added_on_the_page_is_recorded_audited_and_acted_on(patient):
    flag = add(patient)
    assert (flag.kind, flag.term, flag.added_by) == (
        FlagKind.DOMESTIC_ABUSE,
        "Victim of domestic violence",
        "dr-jones",
    )
    entry = AuditEntry.objects.get(action="flag.add")
    assert entry.patient_id == patient.pk and json.loads(entry.detail)["code"] == VICTIM
    add(patient, REVIEW)
    assert Patient.objects.get(pk=patient.pk).access_status == AccessStatus.ENHANCED_REVIEW


def test_every_bad_flag_gets_a_specific_message(patient):
    with pytest.raises(services.FlagError, match="Choose a code from the flag code list"):
        add(patient, code="123")
    with pytest.raises(services.FlagError, match="cannot be in the future"):
        add(patient, day=datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(services.FlagError, match="Say why"):
        add(patient, reason=" ")
    add(patient)
    with pytest.raises(services.FlagError, match="already recorded"):
        add(patient)


def test_ending_a_flag_keeps_it_shown_but_acted_on_by_nothing_and_is_audited(patient):
    flag = add(patient)
    services.end_flag(actor=DR, practice=patient.practice, flag_id=flag.pk, reason="Recorded in error")
    flag.refresh_from_db()
    assert flag.ended_on and flag.ended_by == "dr-jones" and flag.end_reason == "Recorded in error"
    assert not Flag.objects.current().filter(pk=flag.pk).exists()
    assert AuditEntry.objects.filter(action="flag.end", patient_id=patient.pk).exists()
    with pytest.raises(services.FlagError, match="ended already"):
        services.end_flag(actor=DR, practice=patient.practice, flag_id=flag.pk, reason="again")


def test_the_import_does_not_undo_a_flag_ended_on_the_page_unless_the_file_carries_a_newer_code(
    patient, tmp_path
):
    """H50: the weekly import and the page agree."""
    flag = add(patient, day=datetime.date(2024, 1, 1))
    services.end_flag(actor=DR, practice=patient.practice, flag_id=flag.pk, reason="Recorded in error")
    ended_on = Flag.objects.get(pk=flag.pk).ended_on

    def import_rows(*rows):
        path = tmp_path / "flags.csv"
        path.write_text("NHS number,SNOMED code,Date\n" + "".join(f"9434765919,{r}\n" for r in rows))
        out = io.StringIO()
        call_command("import_flags", str(path), "--practice", "A81001", "--json", stdout=out)
        return json.loads(out.getvalue())

    summary = import_rows(f"{VICTIM},01/01/2024", f"{VICTIM},01/01/2023", f"{VICTIM},")
    assert summary["kept_ended"] == 2 and summary["added"] == 0
    assert not Flag.objects.current().filter(patient=patient).exists()
    newer = ended_on + datetime.timedelta(days=1)
    assert import_rows(f"{VICTIM},{newer:%d/%m/%Y}")["added"] == 1
    assert Flag.objects.current().get(patient=patient).recorded_on == newer


def test_reviewers_and_administrators_add_and_end_flags_on_the_page_and_reception_cannot(
    client, practice, patient
):
    page_url = reverse("staff:patient", kwargs={"ods": "A81001", "patient_id": patient.pk})
    add_url = reverse("staff:patient_flag_add", kwargs={"ods": "A81001", "patient_id": patient.pk})
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    assert "Add a flag" not in client.get(page_url).content.decode()
    assert (
        client.post(add_url, {"code": VICTIM, "recorded_on": "2025-06-01", "reason": "x"}).status_code == 403
    )
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr-jones"))
    refused = client.post(add_url, {"code": "", "recorded_on": "2025-02-30", "reason": ""})
    assert refused.status_code == 400 and "Enter a real date" in refused.content.decode()
    page = client.post(
        add_url, {"code": VICTIM, "recorded_on": "2025-06-01", "reason": "Disclosed"}, follow=True
    ).content.decode()
    assert "Flag added" in page and "Victim of domestic violence" in page
    flag = Flag.objects.get(patient=patient)
    end_url = reverse(
        "staff:patient_flag_end", kwargs={"ods": "A81001", "patient_id": patient.pk, "flag_id": flag.pk}
    )
    assert client.post(end_url, {"end_reason": ""}).status_code == 400
    page = client.post(end_url, {"end_reason": "Recorded in error"}, follow=True).content.decode()
    assert "Flag ended" in page and "Ended flags" in page
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    assert (
        client.post(add_url, {"code": REVIEW, "recorded_on": "2025-06-01", "reason": "x"}).status_code == 302
    )


def test_the_page_warns_of_enhanced_review_by_the_same_answer_as_the_decision(client, practice, patient):
    """H47: a 104 overridden by a later 106 is shown as overridden, a 104 after a 106 as needing review."""
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page_url = reverse("staff:patient", kwargs={"ods": "A81001", "patient_id": patient.pk})
    add(patient, REVIEW, datetime.date(2023, 1, 1))
    add(patient, NOT_INDICATED, datetime.date(2024, 1, 1))
    page = client.get(page_url).content.decode()
    assert "Enhanced review before online access" not in page and "no longer applies" in page
    add(patient, REVIEW, datetime.date(2025, 1, 1))
    assert "Enhanced review before online access" in client.get(page_url).content.decode()


def test_flag_errors_are_in_the_error_summary_at_the_top_linked_to_their_field(client, practice, patient):
    add_url = reverse("staff:patient_flag_add", kwargs={"ods": "A81001", "patient_id": patient.pk})
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr-jones"))
    page = client.post(add_url, {"code": VICTIM, "recorded_on": "", "reason": "Disclosed"}).content.decode()
    assert page.index("nhsuk-error-summary") < page.index("<h1")
    assert f'<option value="{VICTIM}" selected' in page and "Disclosed</textarea>" in page
    client.post(add_url, {"code": VICTIM, "recorded_on": "2025-06-01", "reason": "Disclosed"})
    flag = Flag.objects.get(patient=patient)
    end_url = reverse(
        "staff:patient_flag_end", kwargs={"ods": "A81001", "patient_id": patient.pk, "flag_id": flag.pk}
    )
    page = client.post(end_url, {"end_reason": ""}).content.decode()
    assert page.index("nhsuk-error-summary") < page.index("<h1")
    assert f'href="#end-{flag.pk}-end_reason"' in page and f'id="end-{flag.pk}-end_reason"' in page
