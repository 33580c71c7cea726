"""The practice plan: each section's status from what the service knows, the practice's words and their errors,
approval freezing a version, a change starting a new draft, sharing (only approved versions, every bad input a
specific error), who may do what, and another practice's rows."""

import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone

from recordaccess.assurance import plan as plans
from recordaccess.assurance.models import Plan, PlanShare
from recordaccess.audit.models import AuditEntry
from recordaccess.practices.roles import Role
from recordaccess.practices.services import update_practice
from tests import factories
from tests.assurance.conftest import ACTOR
from tests.assurance.test_export import complete

pytestmark = pytest.mark.django_db


def base(practice) -> str:
    return f"/staff/p/{practice.ods_code}/plan/"


def statuses(practice) -> dict:
    return {s.key: s.status for s in plans.sections(practice, plans.latest(practice))}


def test_a_new_practice_sees_each_section_missing_or_in_progress_with_what_to_do(practice, staff_client):
    found = statuses(practice)
    assert set(found) == set(plans.TITLES)
    assert plans.DONE not in {found["approach"], found["dpia"], found["vulnerable"], found["conversations"]}
    page = staff_client(Role.ADMINISTRATOR).get(base(practice))
    assert page.status_code == 200
    for title in plans.TITLES.values():
        assert title in html.unescape(page.text)
    assert "Sign off the DPIA" in page.text
    assert f'href="/staff/p/{practice.ods_code}/dpia/"' in page.text  # where to put it right
    assert "Every section must be done before the plan can be approved." not in page.text  # no draft yet


def test_the_direct_request_follows_the_approach(practice):
    assert "No: under opt-out" in plans.section(practice, None, "direct_request").facts[0]
    assert plans.section(practice, None, "direct_request").status == plans.DONE
    opt_in = factories.practice(approach="opt_in")
    found = plans.section(opt_in, None, "direct_request")
    assert found.facts[0].startswith("Yes") and found.status == plans.IN_PROGRESS
    assert "Write how patients ask, and how they are told to." in found.missing


def test_a_complete_plan_is_done_everywhere_and_approval_freezes_it(practice, signed):
    complete(practice, signed)
    assert set(statuses(practice).values()) == {plans.DONE}
    approved = plans.approve(actor=ACTOR, practice=practice, approver_name="Pat Morgan")
    frozen = plans.shown(practice, approved)
    # The service changes afterwards: the approved version still reads as it was.
    update_practice(actor=ACTOR, practice=practice, approach="opt_in")
    practice.refresh_from_db()
    assert plans.shown(practice, Plan.objects.get(pk=approved.pk)) == frozen
    assert "No: under opt-out" in str(frozen[1])
    # A change starts version 2, copied from version 1; version 1 never changes.
    draft = plans.save_section(actor=ACTOR, practice=practice, key="approach", values={"why": "Changed."})
    assert draft.number == 2 and not draft.is_approved
    assert draft.words["dpia"] == approved.words["dpia"]
    assert Plan.objects.get(number=1, practice=practice).words["approach"]["why"] != "Changed."
    actions = list(AuditEntry.objects.filter(object_type="plan").values_list("action", flat=True))
    assert "plan_version.approve" in actions and actions.count("plan_version.start") == 2


def test_approval_is_refused_while_any_section_is_not_done_naming_them(practice, staff_client):
    client = staff_client(Role.ADMINISTRATOR)
    client.post(base(practice) + "approach/save/", {"why": "Most patients want it."})
    response = client.post(base(practice) + "approve/", follow=True)
    assert "The plan cannot be approved until every section is done" in response.text
    assert "The DPIA and where it is kept (missing)" in html.unescape(response.text)
    assert not Plan.objects.filter(approved_at__isnull=False).exists()


def test_mitigations_count_only_measures_approved_in_the_signed_dpia(practice, signed):
    """H98: the plan never states as done a mitigation the DPIA has not approved."""
    complete(practice, signed)
    assessment = practice.assessments.get()
    risk = assessment.risks.first()
    type(risk).objects.filter(pk=risk.pk).update(
        approved=False
    )  # as a signed version that rejected a measure
    found = plans.section(practice, plans.latest(practice), "vulnerable")
    assert found.status == plans.IN_PROGRESS
    assert any("not approved in the DPIA" in m for m in found.missing)
    with pytest.raises(plans.PlanError, match="Mitigations for vulnerable patients"):
        plans.approve(actor=ACTOR, practice=practice)


def test_each_bad_input_gets_its_own_error(practice, staff_client):
    client = staff_client(Role.ADMINISTRATOR)
    response = client.post(
        base(practice) + "communication/save/",
        {"sms_on_day": "31", "sms_on_month": "2", "sms_on_year": "2026", "letters": "x" * 5001},
    )
    assert response.status_code == 400
    assert "Text messages (SMS): the date must be a real date" in html.unescape(response.text)
    assert "must be 5,000 characters or fewer" in response.text
    response = client.post(base(practice) + "share/", {"shared_with": "press"})
    assert response.status_code == 400
    assert "Choose the version of the plan that was shared" in response.text
    assert "Choose who the plan was shared with" in response.text
    assert "Enter the date the plan was shared" in response.text
    assert client.get(base(practice) + "nowhere/").status_code == 404


def test_sharing_is_recorded_for_an_approved_version_only(practice, signed, staff_client):
    complete(practice, signed)
    client = staff_client(Role.ADMINISTRATOR)
    today = timezone.localdate()
    when = {"shared_on_day": today.day, "shared_on_month": today.month, "shared_on_year": today.year}
    # A draft cannot be recorded as shared.
    with pytest.raises(plans.PlanError, match="approve it before"):
        plans.record_share(
            actor=ACTOR, practice=practice, number=1, shared_with="icb", name="", shared_on=today
        )
    client.post(base(practice) + "approve/")
    assert Plan.objects.get(practice=practice).is_approved
    response = client.post(base(practice) + "share/", {"version": "1", "shared_with": "other", **when})
    assert response.status_code == 400
    assert "Enter the name of the person or organisation it was shared with" in response.text
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        base(practice) + "share/",
        {
            "version": "1",
            "shared_with": "icb",
            "shared_on_day": tomorrow.day,
            "shared_on_month": tomorrow.month,
            "shared_on_year": tomorrow.year,
        },
    )
    assert "must be today or in the past" in response.text
    response = client.post(
        base(practice) + "share/", {"version": "1", "shared_with": "ico", "name": "ICO casework", **when}
    )
    assert response.status_code == 302
    share = PlanShare.objects.get()
    assert (share.plan.number, share.shared_with, share.name) == (1, "ico", "ICO casework")
    entry = AuditEntry.objects.get(action="plan.share")
    assert entry.practice_ods == practice.ods_code
    page = html.unescape(client.get(base(practice)).text)
    assert "The Information Commissioner's Office (ICO): ICO casework" in page


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.REVIEWER, Role.RECEPTION, Role.OBSERVER])
def test_staff_read_administrators_write_and_observers_never_open_it(practice, signed, role):
    complete(practice, signed)
    plans.approve(actor=ACTOR, practice=practice)
    client = factories.sign_in(Client(), factories.staff(practice, role))
    reading = [
        "",
        "approach/",
        "versions/1/",
        "export/md/",
        "versions/1/export/docx/",
    ]
    for path in reading:
        assert client.get(base(practice) + path).status_code == (403 if role == Role.OBSERVER else 200), path
    writing = client.post(base(practice) + "approach/save/", {"why": "Changed"})
    assert writing.status_code == (302 if role == Role.ADMINISTRATOR else 403)
    if role in (Role.REVIEWER, Role.RECEPTION):
        assert "<textarea" not in client.get(base(practice) + "approach/").text
        assert 'action="' + base(practice) + "approve/" not in client.get(base(practice)).text
    downloads = AuditEntry.objects.filter(action="plan.export").count()
    assert downloads == (0 if role == Role.OBSERVER else 2)


def test_another_practices_versions_are_not_found(practice, other_practice, signed, staff_client):
    complete(practice, signed)
    plans.approve(actor=ACTOR, practice=practice)
    client = factories.sign_in(Client(), factories.staff(other_practice, Role.ADMINISTRATOR))
    assert client.get(base(other_practice) + "versions/1/").status_code == 404
    assert client.get(base(other_practice) + "versions/1/export/pdf/").status_code == 404
    assert client.get(base(other_practice) + "export/odt/").status_code == 404


def test_the_download_is_the_file_and_audited(practice, signed, staff_client):
    complete(practice, signed)
    response = staff_client(Role.REVIEWER).get(base(practice) + "export/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="plan-A81001-version-1.pdf"' in response["Content-Disposition"]
    assert AuditEntry.objects.get(action="plan.export").detail


def test_readers_see_the_practices_words_with_dates_in_words(practice, signed, staff_client):
    complete(practice, signed)
    page = html.unescape(staff_client(Role.RECEPTION).get(base(practice) + "communication/").text)
    sent = plans.latest(practice).words["communication"]["sms_on"]
    assert plans._date(sent) in page and sent not in page
    assert "The practice has no social media accounts." in page
