"""The review page: claim, checklist, decision with its errors, and the waiting-list settings."""

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.intake.models import WaitingListPolicy
from recordaccess.practices.roles import Role
from recordaccess.review.models import Decision
from tests import factories
from tests.review.conftest import SAFEGUARDING, waiting_request

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"staff:{name}", kwargs={"ods": "A81001", **kwargs})


CHECKLIST = {
    "flags_considered": "on",
    "third_party": "none",
    "serious_harm": "none",
    "coercion": "none",
    "results_pending": "none",
}


def test_a_reviewer_claims_fills_the_checklist_and_decides_from_the_page(client, practice):
    request = waiting_request(practice, flag=SAFEGUARDING)
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr-jones"))
    page = client.get(url("review", request_id=request.pk)).content.decode()
    assert "Vulnerable adult (417430008)" in page and "Reviewer only" in page
    assert "Claim this request for review" in page
    assert AuditEntry.objects.filter(action="review.view", patient_id=request.patient_id).exists()
    page = client.post(url("review_claim", request_id=request.pk), follow=True).content.decode()
    assert "You are reviewing this request" in page and "Still to do:" in page
    page = client.post(
        url("review_checklist", request_id=request.pk), CHECKLIST, follow=True
    ).content.decode()
    assert "Checklist complete" in page
    bad = client.post(
        url("review_decide", request_id=request.pk),
        {"outcome": "granted", "nhs_number": request.patient.nhs_number, "tell_patient": "yes"},
    )
    text = bad.content.decode()
    assert bad.status_code == 400 and "There is a problem" in text
    assert "Choose the level of access to give" in text and "Enter the date access starts" in text
    done = client.post(
        url("review_decide", request_id=request.pk),
        {
            "outcome": "granted",
            "nhs_number": request.patient.nhs_number,
            "access_level": "prospective",
            "access_from": timezone.localdate().isoformat(),
            "tell_patient": "yes",
        },
        follow=True,
    ).content.decode()
    assert "Decision recorded" in done and "1364751000000106" in done
    assert Decision.objects.get().decided_by == "dr-jones"


def test_reception_sees_why_a_flagged_request_is_not_theirs_to_decide(client, practice):
    request = waiting_request(practice, flag=SAFEGUARDING)
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    client.post(url("review_claim", request_id=request.pk))
    client.post(url("review_checklist", request_id=request.pk), CHECKLIST)
    page = client.get(url("review", request_id=request.pk)).content.decode()
    assert "only a reviewer (a GP or clinician) can decide it" in page
    refused = client.post(
        url("review_decide", request_id=request.pk),
        {
            "outcome": "declined",
            "reason": "x",
            "nhs_number": request.patient.nhs_number,
            "tell_patient": "yes",
        },
    )
    assert refused.status_code == 400 and "only a reviewer" in refused.content.decode()
    assert not Decision.objects.exists()


def test_the_waiting_list_settings_re_order_the_list_and_refuse_bad_values(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    values = {
        "need_points": "30",
        "risk_flag_points": "10",
        "prospective_points": "5",
        "points_per_day": "0",
        "target_days": "400",
        "reviewer_hours": "8",
    }
    bad = client.post(url("waiting_policy"), values)
    text = bad.content.decode()
    assert bad.status_code == 400 and "waiting must always count" in text and "from 1 to 365 days" in text
    done = client.post(
        url("waiting_policy"), {**values, "points_per_day": "2", "target_days": "21"}, follow=True
    )
    assert "every request on the waiting list is in its new place" in done.content.decode()
    policy = WaitingListPolicy.objects.get(practice=practice)
    assert (policy.points_per_day, policy.target_days, policy.reviewer_hours) == (2, 21, 8)


def test_reception_is_not_offered_the_clinical_questions_and_the_decision_shows_who_answered_them(
    client, practice
):
    """H48: the serious-harm judgement is a reviewer's, on the page as in the service."""
    request = waiting_request(practice)
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION, "sam"))
    client.post(url("review_claim", request_id=request.pk))
    page = client.get(url("review", request_id=request.pk)).content.decode()
    assert 'name="serious_harm"' not in page and 'name="coercion"' not in page
    assert "answered by a reviewer (a GP or clinician)" in page
    client.post(
        url("review_checklist", request_id=request.pk), CHECKLIST
    )  # the clinical answers are not taken
    review = request.review
    review.refresh_from_db()
    assert (review.serious_harm, review.flags_considered) == ("", True)
    client.post(url("review_release", request_id=request.pk))
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr-jones"))
    client.post(url("review_claim", request_id=request.pk))
    client.post(url("review_checklist", request_id=request.pk), CHECKLIST)
    page = client.post(
        url("review_decide", request_id=request.pk),
        {
            "outcome": "granted",
            "nhs_number": request.patient.nhs_number,
            "access_level": "prospective",
            "access_from": timezone.localdate().isoformat(),
            "tell_patient": "yes",
        },
        follow=True,
    ).content.decode()
    assert "Clinical questions answered by" in page and "serious harm: dr-jones" in page


def _claimed(client, practice, role=Role.REVIEWER, username="dr-jones"):
    request = waiting_request(practice, flag=SAFEGUARDING)
    factories.sign_in(client, factories.staff(practice, role, username))
    client.post(url("review_claim", request_id=request.pk))
    return request


def test_the_review_page_is_one_form_for_the_checklist_and_the_decision(client, practice):
    request = _claimed(client, practice)
    page = client.get(url("review", request_id=request.pk)).content.decode()
    assert page.count('id="review-form"') == 1
    form = page[page.index('id="review-form"') : page.index("</form>", page.index('id="review-form"'))]
    assert 'name="flags_considered"' in form and 'name="outcome"' in form
    assert "Save checklist" in form and "Record the decision" in form


def test_a_refused_decision_keeps_the_typed_checklist_and_decision(client, practice):
    """Recording the decision saves the checklist typed with it; the refusal shows every typed value again."""
    request = _claimed(client, practice)
    typed = {
        **CHECKLIST,
        "third_party": "found",
        "third_party_note": "Letter of 3 March 2019 names a neighbour",
        "checklist": "1",
        "outcome": "granted_redacted",
        "nhs_number": request.patient.nhs_number,
        "redactions": "Letter of 3 March 2019",
        "reason": "Neighbour named in a letter",
        "tell_patient": "yes",
        "minutes_spent": "17",
    }
    refused = client.post(url("review_decide", request_id=request.pk), typed)
    text = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in text
    assert "Choose the level of access to give" in text
    for value in ("Letter of 3 March 2019 names a neighbour", "Letter of 3 March 2019", "Neighbour named"):
        assert value in text
    assert 'value="17"' in text and 'value="granted_redacted" checked' in text
    review = request.review
    review.refresh_from_db()
    assert (review.third_party, review.flags_considered) == ("found", True)
    assert not Decision.objects.exists()


def test_saving_the_checklist_keeps_the_decision_being_typed(client, practice):
    request = _claimed(client, practice)
    saved = client.post(
        url("review_checklist", request_id=request.pk),
        {
            **CHECKLIST,
            "checklist": "1",
            "outcome": "deferred",
            "nhs_number": request.patient.nhs_number,
            "reason": "Talk it through with the patient first",
            "tell_patient": "yes",
        },
    )
    text = saved.content.decode()
    assert "Checklist saved." in text and "Checklist complete" in text
    assert "Talk it through with the patient first" in text and 'value="deferred" checked' in text
    assert "There is a problem" not in text  # a decision not yet asked for is not judged
    assert not Decision.objects.exists()


def test_a_refused_checklist_keeps_what_was_typed_in_both_parts(client, practice):
    request = _claimed(client, practice)
    refused = client.post(
        url("review_checklist", request_id=request.pk),
        {
            **CHECKLIST,
            "serious_harm": "perhaps",
            "serious_harm_note": "Notes typed by the GP",
            "checklist": "1",
            "outcome": "declined",
            "nhs_number": request.patient.nhs_number,
            "reason": "Reason typed by the GP",
            "tell_patient": "yes",
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in text
    assert "Select a valid choice" in text
    assert "Notes typed by the GP" in text and "Reason typed by the GP" in text
    assert 'value="declined" checked' in text
    review = request.review
    review.refresh_from_db()
    assert review.serious_harm_note == ""
