"""Replies that count: the patient's own preference link, and text messages back through Notify's callback."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.intake.models import AccessRequest, IdentityMethod
from recordaccess.intake.services import RequestError, verify_identity
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.messages import sms_length
from recordaccess.outreach.models import DirectMessage, Message, OutboxItem, PatientReply, ReplyStatus
from recordaccess.outreach.sending import send_batch
from recordaccess.outreach.services import approve_campaign
from recordaccess.patients.models import Patient
from recordaccess.practices.roles import Role
from recordaccess.questions.models import Question
from recordaccess.replies.services import keyword
from recordaccess.review import coding, decisions
from recordaccess.review.decisions import DecisionInput
from recordaccess.review.models import Decision, Review
from recordaccess.review.services import ReviewError
from tests import factories
from tests.outreach.conftest import APPROVER
from tests.review.conftest import REVIEWER

pytestmark = pytest.mark.django_db
TOKEN = "receipts-token-for-tests"
TODAY = timezone.localdate()


@pytest.fixture
def sent(practice, campaign, people, settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    # A second patient on the same phone as the "prefers_letter" patient's family: both get texts.
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900001")
    approved = approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    while send_batch(approved, OutboxChannel()):
        pass
    return approved


def own_link(patient) -> str:
    body = OutboxItem.objects.get(message__patient=patient).body
    return re.search(r"http://127\.0\.0\.1:8000(/r/[a-z0-9]{10}/)", body).group(1)


def inbound(client, payload, token=TOKEN):
    return client.post(
        reverse("notify_inbound"),
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_each_message_carries_the_patients_own_link_and_their_answer_goes_on_their_record(
    client, sent, people
):
    link = own_link(people["email"])
    assert link != own_link(people["letter"])
    page = client.get(link).content.decode()
    assert "What would you like to do?" in page
    # Nothing about who they are (a whole word: the page's random tokens may hold "P2").
    patient = people["email"]
    assert not re.search(r"\bP2\b", page) and patient.nhs_number not in page and patient.email not in page
    refused = client.post(link, {}).content.decode()
    assert "There is a problem" in refused and "Select what you would like to do" in refused
    done = client.post(link, {"preference": "no_access"}).content.decode()
    assert "Thank you: we have your answer" in done
    patient = Patient.objects.get(pk=people["email"].pk)
    assert patient.preference == "no_access" and patient.preference_recorded_at is not None
    reply = PatientReply.objects.get()
    assert (reply.source, reply.status, reply.message.patient_id) == ("link", "recorded", patient.pk)
    entry = AuditEntry.objects.get(action="patient.preference")
    assert entry.patient_id == patient.pk and entry.actor == "patient"


def test_a_wrong_code_or_a_patient_who_left_gets_the_same_page_not_found(client, sent, people):
    for code in ("aaaaaaaaaa", "not-a-code", "x" * 40):
        response = client.get(f"/r/{code}/")
        assert response.status_code == 404 and "This link has not worked" in response.content.decode()
    link = own_link(people["email"])
    Patient.objects.filter(pk=people["email"].pk).update(status="left")
    assert client.post(link, {"preference": "wants_access"}).status_code == 404
    assert not PatientReply.objects.exists()


def test_a_clear_text_reply_from_a_number_we_texted_one_patient_is_recorded_once(client, sent, people):
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900004")  # no longer shared
    payload = {
        "id": "in-1",
        "source_number": "447700900001",
        "destination_number": "07900",
        "message": " Yes ",
    }
    assert inbound(client, payload).status_code == 204
    assert inbound(client, payload).status_code == 204  # Notify sending it again changes nothing
    reply = PatientReply.objects.get()
    assert (reply.patient_id, reply.status, reply.preference) == (
        people["sms"].pk,
        "recorded",
        "wants_access",
    )
    assert Patient.objects.get(pk=people["sms"].pk).preference == "wants_access"


def test_a_reply_from_a_shared_number_waits_for_a_person(client, sent, people):
    Message.objects.filter(patient=people["prefers_letter"]).update(channel="sms")  # both were texted
    Message.objects.filter(patient=people["prefers_letter"]).update(status="sent", sent_at=sent.approved_at)
    assert inbound(client, {"id": "in-2", "source_number": "07700900001", "message": "NO"}).status_code == 204
    reply = PatientReply.objects.get()
    assert (
        reply.status == ReplyStatus.NEEDS_REVIEW and reply.patient is None and reply.preference == "no_access"
    )
    assert Patient.objects.get(pk=people["sms"].pk).preference == "not_known"
    assert Patient.objects.get(pk=people["prefers_letter"].pk).preference == "not_known"


def test_unclear_words_and_unknown_numbers_are_kept_for_staff_not_recorded(client, sent, people):
    inbound(client, {"id": "in-3", "source_number": "07700900001", "message": "who is this?"})
    inbound(client, {"id": "in-4", "source_number": "07700900999", "message": "YES"})
    statuses = dict(PatientReply.objects.values_list("notify_id", "status"))
    assert statuses == {"in-3": "needs_review", "in-4": "unmatched"}
    assert Patient.objects.get(pk=people["sms"].pk).preference == "not_known"
    factories.sign_in(client, factories.staff(sent.practice, Role.RECEPTION))
    page = client.get(reverse("staff:replies", kwargs={"ods": "A81001"})).content.decode()
    assert "who is this?" in page and "07700 900999" not in page  # unmatched has no practice to show it to
    assert AuditEntry.objects.filter(action="replies.view").exists()


def test_the_inbound_callback_needs_notifys_token_and_its_fields(client, sent):
    assert (
        inbound(client, {"id": "x", "source_number": "07700900001", "message": "YES"}, "wrong").status_code
        == 401
    )
    assert inbound(client, {"id": "x", "message": "YES"}).status_code == 400
    assert (
        client.post(
            reverse("notify_inbound"),
            "not json",
            content_type="application/json",
            headers={"Authorization": f"Bearer {TOKEN}"},
        ).status_code
        == 400
    )
    assert not PatientReply.objects.exists()


def test_the_inbound_callback_needs_the_bearer_scheme(client, sent):
    response = client.post(
        reverse("notify_inbound"),
        json.dumps({"id": "in-1", "source_number": "07700900001", "message": "YES"}),
        content_type="application/json",
        headers={"Authorization": TOKEN},
    )
    assert response.status_code == 401
    assert not PatientReply.objects.exists()


@pytest.mark.parametrize("notify_id", ["9" * 41, "in 1", "in-1\n", 7])
def test_an_inbound_id_that_cannot_be_notifys_is_refused_with_the_reason(client, sent, notify_id):
    response = inbound(client, {"id": notify_id, "source_number": "07700900001", "message": "YES"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("id must be")
    assert not PatientReply.objects.exists()


def test_an_inbound_id_of_notifys_own_shape_is_accepted(client, sent):
    notify_id = "0c7a5a36-52a1-4c1b-9f0e-3d3b2c1a0f9e"
    assert (
        inbound(client, {"id": notify_id, "source_number": "07700900001", "message": "YES"}).status_code
        == 204
    )
    assert PatientReply.objects.get().notify_id == notify_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("YES", "wants_access"),
        ("y", "wants_access"),
        ("No.", "no_access"),
        ("question", "has_questions"),
        ("yes please call me", ""),
        ("", ""),
        ("maybe", ""),
    ],
)
def test_only_a_one_word_answer_counts(text, expected):
    assert keyword(text) == expected


# What each answer becomes (issue 11, item 11; hazards H55, H56).


def test_yes_by_link_puts_a_request_on_the_list_matched_to_the_patient_with_identity_still_to_check(
    client, sent, people
):
    patient = people["email"]
    link = own_link(patient)
    done = client.post(link, {"preference": "wants_access"}).content.decode()
    request = AccessRequest.objects.get()
    assert (request.patient_id, request.route, request.status, request.wish) == (
        patient.pk,
        "reply",
        "matched",
        "wants_access",
    )
    assert request.access_level == "prospective" and not request.identity_checks.exists()
    assert PatientReply.objects.get().request_id == request.pk
    received = AuditEntry.objects.get(action="request.receive", object_id=str(request.pk))
    assert json.loads(received.detail)["identity"] == (
        "not verified: answered a message sent to their registered contact"
    )
    # Truthful: a request with its reference, and who they are still to be checked before anyone looks.
    assert request.reference_display in done and "check it is you" in done
    # The rules on identity still apply: remote vouching is not enough for this level.
    with pytest.raises(RequestError, match="Remote vouching"):
        verify_identity(
            actor=APPROVER,
            request=request,
            method=IdentityMethod.VOUCHING,
            remote=True,
            evidence="knows them",
        )
    # Answering again joins the open request, it does not make a second.
    client.post(link, {"preference": "wants_access"})
    assert AccessRequest.objects.count() == 1


def test_yes_by_text_makes_a_request_too(client, sent, people):
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900004")
    inbound(client, {"id": "in-9", "source_number": "07700900001", "message": "yes"})
    request = AccessRequest.objects.get()
    assert (request.patient_id, request.route) == (people["sms"].pk, "reply")


def test_no_by_link_puts_the_103_on_the_coding_worklist_and_our_access_status_follows(client, sent, people):
    patient = people["email"]
    link = own_link(patient)
    done = client.post(link, {"preference": "no_access"}).content.decode()
    entries = list(coding.worklist(sent.practice))
    assert [(e.nhs_number, e.code) for e in entries] == [(patient.nhs_number, coding.DECLINED_BY_PATIENT)]
    assert entries[0].reply == PatientReply.objects.get()
    assert Patient.objects.get(pk=patient.pk).access_status == "declined"
    assert "will not be turned on" in done
    client.post(link, {"preference": "no_access"})  # said twice, coded once
    assert coding.worklist(sent.practice).count() == 1
    assert not AccessRequest.objects.exists()


def test_no_after_yes_closes_the_open_request_so_no_one_grants_what_the_patient_no_longer_wants(
    client, sent, people
):
    """H63: their latest word stands. A request in a reviewer's hands is closed too, coded once."""
    patient = people["email"]
    link = own_link(patient)
    client.post(link, {"preference": "wants_access"})
    request = AccessRequest.objects.get()
    verify_identity(
        actor=APPROVER, request=request, method=IdentityMethod.DOCUMENTS, remote=False, evidence="passport"
    )
    request.refresh_from_db()
    decisions.claim(actor=REVIEWER, request=request)
    done = client.post(link, {"preference": "no_access"}).content.decode()
    request.refresh_from_db()
    assert request.status == "decided"
    decision = Decision.objects.get(request=request)
    assert (decision.outcome, decision.message, decision.decided_role) == (
        "patient_declined",
        "answered",
        "patient",
    )
    assert Review.objects.get(request=request).reviewer == ""
    assert [e.code for e in coding.worklist(sent.practice)] == [coding.DECLINED_BY_PATIENT]
    assert PatientReply.objects.filter(preference="no_access").get().request_id == request.pk
    assert f"closed your request {request.reference_display}" in done
    assert "check it is you" not in done
    grant = DecisionInput(
        outcome="granted", nhs_number=patient.nhs_number, access_level="prospective", access_from=TODAY
    )
    with pytest.raises(ReviewError):
        decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant)
    assert Decision.objects.count() == 1
    assert Patient.objects.get(pk=patient.pk).access_status == "declined"


def test_no_by_text_after_yes_is_told_the_request_is_closed(client, sent, people):
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900004")
    inbound(client, {"id": "in-20", "source_number": "07700900001", "message": "yes"})
    inbound(client, {"id": "in-21", "source_number": "07700900001", "message": "no"})
    request = AccessRequest.objects.get()
    assert request.decision.outcome == "patient_declined"
    told = DirectMessage.objects.get(reference__startswith="ANS-", body__contains="do not want")
    assert f"closed your request {request.reference_display}" in told.body


def test_no_by_text_puts_the_103_on_the_coding_worklist(client, sent, people):
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900004")
    inbound(client, {"id": "in-10", "source_number": "07700900001", "message": "NO"})
    assert [e.nhs_number for e in coding.worklist(sent.practice)] == [people["sms"].nhs_number]
    assert Patient.objects.get(pk=people["sms"].pk).access_status == "declined"


def test_questions_by_link_take_the_question_and_put_it_in_the_question_inbox(client, sent, people):
    patient = people["sms"]
    link = own_link(patient)
    assert 'name="question"' in client.get(link).content.decode()
    done = client.post(
        link, {"preference": "has_questions", "question": "Can my daughter see it too?"}
    ).content.decode()
    assert "will contact you" in done
    reply = PatientReply.objects.get()
    assert (reply.preference, reply.text) == ("has_questions", "Can my daughter see it too?")
    question = Question.objects.get()
    assert (question.reply, question.patient, question.route, question.text) == (
        reply,
        patient,
        "link",
        "Can my daughter see it too?",
    )
    staff = factories.staff(sent.practice, Role.RECEPTION)
    factories.sign_in(client, staff)
    old_list = reverse("staff:replies", kwargs={"ods": "A81001"}) + "?show=to_call"
    inbox = client.get(old_list, follow=True)
    assert inbox.redirect_chain[-1][0] == reverse("staff:inbox", kwargs={"ods": "A81001"})
    assert "Can my daughter see it too?" in inbox.content.decode()


def test_a_question_too_long_is_refused_with_the_limit(client, sent, people):
    link = own_link(people["sms"])
    page = client.post(link, {"preference": "has_questions", "question": "x" * 1001}).content.decode()
    assert "There is a problem" in page and "1,000 characters or fewer" in page
    assert not PatientReply.objects.exists()


@pytest.mark.parametrize(
    ("word", "told"),
    [
        ("NO", "online access will not be turned on for you"),
        ("QUESTION", "will contact you to answer your questions"),
    ],
)
def test_a_text_answer_is_told_once_by_text_what_happens_next_with_nothing_clinical(
    client, sent, people, word, told
):
    Patient.objects.filter(pk=people["prefers_letter"].pk).update(mobile="07700900004")
    payload = {"id": f"in-{word}", "source_number": "07700900001", "message": word}
    inbound(client, payload)
    inbound(client, payload)  # Notify sending it again tells them nothing twice
    answer = DirectMessage.objects.get(reference=f"ANS-{PatientReply.objects.get().pk}")
    assert (answer.channel, answer.to) == ("sms", "07700 900001")
    assert told in answer.body and "NHS help: http://127.0.0.1:8000/p/A81001/" in answer.body
    assert not PRIVATE_WORDS.search(answer.body) and sms_length(answer.body).fragments <= 3
