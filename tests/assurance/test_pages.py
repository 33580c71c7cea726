"""The DPIA's pages: who reads and who changes them, the forms' errors, another practice's rows, the ICO warning,
the consultation pack read back from its PDF, and the overview's items."""

import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from recordaccess.assurance import services
from recordaccess.assurance.models import Assessment
from recordaccess.audit.models import AuditEntry
from recordaccess.practices.models import Dpia
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.conftest import ACTOR, ready_to_sign

pytestmark = pytest.mark.django_db
PARTS = ["need", "processing", "consultation", "necessity", "risks", "measures", "sign-off"]


def base(practice) -> str:
    return f"/staff/p/{practice.ods_code}/dpia/"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.REVIEWER, Role.RECEPTION])
def test_the_practices_staff_read_every_step_and_only_administrators_change_it(practice, role):
    ready_to_sign(practice)
    risk = Assessment.objects.get(practice=practice).risks.first()
    client = factories.sign_in(Client(), factories.staff(practice, role))
    for path in ["", *(f"{part}/" for part in PARTS), f"risks/{risk.pk}/", "versions/1/"]:
        response = client.get(base(practice) + path)
        assert response.status_code == 200, path
        assert (
            ('action="' + base(practice) + "need/save/") in response.text
            or path != "need/"
            or role != "administrator"
        )
    editing = client.post(base(practice) + "need/save/", {"need": "Changed"})
    assert editing.status_code == (302 if role == Role.ADMINISTRATOR else 403)
    page = client.get(base(practice) + "need/").text
    assert ("<textarea" in page) == (role == Role.ADMINISTRATOR)
    pack = client.get(base(practice) + "versions/1/consultation-pack.pdf")
    assert pack.status_code == (200 if role == Role.ADMINISTRATOR else 403)


def test_forms_show_each_error_beside_its_question(practice, staff_client):
    client = staff_client(Role.ADMINISTRATOR)
    response = client.post(base(practice) + "risks/add/", {"likelihood": "often"})
    assert response.status_code == 400
    for message in [
        "Enter the risk, in a few words",
        "Enter the source of the risk: who or what could cause the harm",
        "Choose how likely the harm is",
        "Choose how severe the harm would be",
    ]:
        assert message in response.text
    response = client.post(
        base(practice) + "consultation/add/",
        {"consulted": "dpo", "who": "DPO", "held_on_day": "31", "held_on_month": "2", "held_on_year": "2026"},
    )
    assert response.status_code == 400
    assert "Enter the date of the consultation as a real date" in response.text
    assert "Enter what they said" in response.text
    response = client.post(base(practice) + "sign-off/save/", {"dpo_advice_outcome": "overruled"})
    assert response.status_code == 400
    assert "Say why the DPO&#39;s advice was overruled" in response.text
    assert client.get(base(practice) + "nowhere/").status_code == 404
    assert client.post(base(practice) + "risks/save/", {}).status_code == 404


def test_sign_off_through_the_page_and_what_is_left_unfinished_is_listed(practice, staff_client):
    client = staff_client(Role.ADMINISTRATOR)
    page = client.get(base(practice) + "sign-off/").text
    assert "Step 1, identify the need for a DPIA, is not done." in page
    ready_to_sign(practice)
    response = client.post(
        base(practice) + "sign-off/save/",
        {
            "reference": "RS-9",
            "measures_approved_by": "Pat",
            "residual_risks_approved_by": "Dr Shah",
            "dpo_advice": "Go ahead",
            "dpo_advice_outcome": "accepted",
            "kept_under_review_by": "Pat",
            "review_on": (
                timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)
            ).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Dpia.objects.get(practice=practice).reference == "RS-9"
    overview = client.get(base(practice)).text
    assert "Version 1: signed off on" in overview and "Start a new version" in overview
    client.post(base(practice) + "new-version/")
    assert Assessment.objects.filter(practice=practice).count() == 2
    assert "Version 2: a draft" in client.get(base(practice)).text
    assert "RS-9" in client.get(base(practice) + "versions/1/").text


def test_another_practices_risk_and_version_are_not_found(practice, other_practice, staff_client):
    services.add_risk(
        actor=ACTOR, practice=other_practice, title="T", source="S", likelihood="remote", severity="some"
    )
    risk = Assessment.objects.get(practice=other_practice).risks.get()
    client = staff_client(Role.ADMINISTRATOR)
    assert client.get(base(practice) + f"risks/{risk.pk}/").status_code == 404
    assert client.post(base(practice) + f"risks/{risk.pk}/remove/").status_code == 404
    assert client.post(base(practice) + f"risks/{risk.pk}/measures/", {"measures": "x"}).status_code in (
        400,
        404,
    )
    assert client.get(base(practice) + "versions/1/").status_code == 404
    assert Assessment.objects.get(practice=other_practice).risks.count() == 1


def test_a_residual_high_risk_says_the_ico_must_be_consulted_and_the_pack_reads_back(practice, staff_client):
    ready_to_sign(practice, high=True)
    client = staff_client(Role.ADMINISTRATOR)
    for path in ["", "risks/", "measures/", "sign-off/"]:
        assert "the ICO must be consulted before processing starts" in client.get(base(practice) + path).text
    assert 'name="ico_acknowledged"' in client.get(base(practice) + "sign-off/").text
    response = client.get(base(practice) + "versions/1/consultation-pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for title in [
        "Step 1: Identify the need for a DPIA",
        "Step 2: Describe the processing",
        "Step 3: Consultation",
        "Step 4: Necessity and proportionality",
        "Step 5: Identify and assess risks",
        "Step 6: Measures to reduce the risks",
        "Step 7: Sign off and record outcomes",
    ]:
        assert title in text
    assert "the ICO must be consulted before processing starts" in text
    assert "Risks before the measures" in text and "Risks left after the measures" in text
    assert "Overall risk left after the measures: High" in text
    for i, risk in enumerate(Assessment.objects.get(practice=practice).risks.all(), start=1):
        title = re.sub(r"\s+", " ", risk.title)
        assert f"R{i}: {title}" in text
        found = re.search(
            rf"R{i}: {re.escape(title)}.*?(Low|Medium|High)\s+(Remote|Reasonable|More likely)", text
        )
        assert found and found[1].lower() == risk.residual_level, (risk.title, risk.residual_level)
    assert AuditEntry.objects.filter(action="dpia_version.pack", practice_ods=practice.ods_code).count() == 1


def test_the_overview_counts_a_due_review_and_a_change_of_approach(practice, staff_client, signed):
    from recordaccess.assurance.selectors import approach_changed_since_sign_off, dpia_review_due

    signed()
    assert approach_changed_since_sign_off(practice) == 0 and dpia_review_due(practice) == 0
    practice.approach = "opt_in" if practice.approach != "opt_in" else "opt_out"
    practice.save()
    assert approach_changed_since_sign_off(practice) == 1
    Dpia.objects.filter(practice=practice).update(review_on=timezone.localdate())
    assert dpia_review_due(practice) == 1
    home = staff_client(Role.ADMINISTRATOR).get(f"/staff/p/{practice.ods_code}/").text
    assert "change of approach since the DPIA was signed off" in home
    assert "DPIA review due or past" in home
    overview = staff_client(Role.ADMINISTRATOR).get(base(practice)).text
    assert 'id="review-due"' in overview and 'id="approach-changed"' in overview


def test_observers_see_aggregate_figures_only_never_the_dpia(practice, staff_client):
    client = staff_client(Role.OBSERVER)
    assert client.get(base(practice)).status_code == 403
    assert client.get(base(practice) + "risks/").status_code == 403


def test_the_audit_trail_names_each_dpia_version_by_its_number(
    practice, other_practice, staff_client, signed
):
    signed()
    services.start_new_version(actor=ACTOR, practice=practice)
    services.save_step(actor=ACTOR, practice=practice, slug="need", need="Version two")
    page = staff_client(Role.ADMINISTRATOR).get(f"/staff/p/{practice.ods_code}/audit/").text
    assert (
        "Signed off a version of the DPIA" in page and "DPIA: version 1" in page and "DPIA: version 2" in page
    )


def test_the_audit_trail_names_plan_versions_and_sweeps_as_staff_see_them(practice, staff_client, signed):
    import datetime

    from recordaccess.assurance import plan as plans
    from recordaccess.assurance import sweep

    signed()
    plans.save_section(actor=ACTOR, practice=practice, key="approach", values={"why": "As the PPG advised."})
    sweep.generate(practice, week_starting=datetime.date(2026, 11, 23))
    page = staff_client(Role.ADMINISTRATOR).get(f"/staff/p/{practice.ods_code}/audit/").text
    assert "Practice plan: version 1" in page
    assert "Weekly safety sweep: week of 23 November 2026" in page
