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
