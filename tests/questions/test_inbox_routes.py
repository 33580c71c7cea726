"""Every route feeds the question inbox once, and the waiting list holds only requests for access: a question on
the request form is a question, a "no" is a recorded decline once we know whose it is."""

import pytest
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.intake import acknowledge
from recordaccess.intake import services as intake
from recordaccess.intake.selectors import identities_to_check, requests_to_match
from recordaccess.outreach.models import DirectMessage, PatientReply, ReplyStatus
from recordaccess.practices.roles import Role
from recordaccess.questions.models import Question
from recordaccess.review.models import CodingEntry, Decision
from tests import factories
from tests.outreach.test_replies import inbound, own_link
from tests.questions.conftest import STAFF, submit

pytestmark = pytest.mark.django_db
DECLINE_CODE = "1290331000000103"


def test_a_question_on_the_request_form_lands_in_the_inbox_once_and_never_on_the_waiting_list(
    practice, patient
):
    request, _ = submit(practice, patient)
    again, joined = submit(practice, patient)  # a double click joins the first
    assert joined and again.pk == request.pk
    question = Question.objects.get()
    assert (question.request, question.patient, question.route) == (request, patient, "form")
    assert (question.text, question.mobile, question.contact_by) == (
        "Will my carer see my record?",
        "07700900141",
        "sms",
    )
    assert [e.kind for e in question.entries.all()] == ["asked"]
    # The patient keeps their reference and acknowledgement; the request goes nowhere near the list.
    assert DirectMessage.objects.filter(reference=acknowledge.reference(request)).exists()
    request.refresh_from_db()
    assert not request.on_list and identities_to_check(practice) == 0
    with pytest.raises(intake.RequestError, match="question inbox"):
        intake.verify_identity(
            actor=STAFF, request=request, method="documents", remote=False, evidence="Passport"
        )
    assert intake.manual_moves(request) == []
    assert AuditEntry.objects.filter(action="question.received", object_id=str(question.pk)).exists()


def test_a_question_from_someone_we_cannot_match_is_in_the_inbox_and_not_on_the_matching_list(practice):
    submit(practice, family_name="Nobody")
    question = Question.objects.get()
    assert question.patient is None and question.request.match_status == "needs_staff"
    assert requests_to_match(practice) == 0


def test_a_no_on_the_request_form_is_a_recorded_decline_with_its_code_not_a_request_on_the_list(
    practice, patient
):
    request, _ = submit(practice, patient, wish="no_access", question="")
    request.refresh_from_db()
    assert request.status == "decided" and not request.on_list
    assert Decision.objects.get(request=request).outcome == "patient_declined"
    assert "said on the request form" in Decision.objects.get(request=request).reason
    entry = CodingEntry.objects.get()
    assert (entry.code, entry.nhs_number) == (DECLINE_CODE, patient.nhs_number)
    patient.refresh_from_db()
    assert (patient.preference, patient.access_status) == ("no_access", "declined")
    reply = PatientReply.objects.get()
    assert (reply.source, reply.status) == ("form", ReplyStatus.RECORDED)
    assert not Question.objects.exists()


def test_an_unmatched_no_waits_on_the_matching_list_then_is_declined_against_the_patient_chosen(
    practice, patient
):
    request, _ = submit(practice, wish="no_access", question="", family_name="Smyth")  # a typo: no match
    assert request.match_status == "needs_staff" and requests_to_match(practice) == 1
    assert not CodingEntry.objects.exists()  # never against a patient we only guess at (H79)
    intake.confirm_match(actor=STAFF, request=request, patient_id=patient.pk)
    request.refresh_from_db()
    assert request.status == "decided" and requests_to_match(practice) == 0
    assert CodingEntry.objects.get().nhs_number == patient.nhs_number


def test_a_no_said_for_someone_else_is_a_question_to_confirm_not_their_decline(practice, patient):
    submit(
        practice,
        patient,
        wish="no_access",
        question="",
        for_someone_else=True,
        requester_name="Bob Smith",
        requester_relationship="son",
        proxy_basis="consent",
    )
    assert not CodingEntry.objects.exists()
    question = Question.objects.get()
    assert question.topic == "turn_off" and "Bob Smith said" in question.text and question.patient == patient


def test_a_question_by_the_link_in_our_message_lands_in_the_inbox_once(client, sent, people):
    link = own_link(people["sms"])
    client.post(link, {"preference": "has_questions", "question": "Who else can see it?"})
    question = Question.objects.get()
    assert (question.route, question.text, question.patient) == (
        "link",
        "Who else can see it?",
        people["sms"],
    )
    assert question.mobile == "07700900001" and question.reply.preference == "has_questions"


def test_unclear_words_by_text_land_in_the_inbox_once_even_when_notify_sends_them_twice(client, sent, people):
    payload = {"id": "in-1", "source_number": "07700900001", "message": "yes please, both of us"}
    inbound(client, payload)
    inbound(client, payload)
    question = Question.objects.get()
    assert (question.route, question.text, question.patient, question.mobile) == (
        "sms",
        "yes please, both of us",
        people["sms"],
        "07700900001",
    )
    assert question.reply.status == ReplyStatus.NEEDS_REVIEW


def test_a_question_keyed_in_from_a_call_lands_in_the_inbox(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION, "rec.ann"))
    url = reverse("staff:inbox_new", kwargs={"ods": practice.ods_code})
    page = client.post(url, {"contact_by": "sms", "mobile": "0770", "topic": ""})
    text = page.content.decode()
    assert page.status_code == 400
    for message in (
        "Enter the name of the person asking",
        "Enter their question",
        "Choose what it is about",
        "Enter a UK mobile number, like 07700 900 982",
    ):
        assert message in text
    letter = client.post(url, {"name": "Ann", "text": "Q", "topic": "other", "contact_by": "letter"})
    assert "Enter their postal address to answer by letter" in letter.content.decode()
    done = client.post(
        url,
        {
            "name": "Ann Lee",
            "text": "Is it free?",
            "topic": "how_long",
            "contact_by": "sms",
            "mobile": "07700 900 222",
        },
    )
    question = Question.objects.get()
    assert done["Location"] == reverse(
        "staff:inbox_question", kwargs={"ods": practice.ods_code, "question_id": question.pk}
    )
    assert (question.route, question.mobile, question.topic, question.entries.get().by) == (
        "call",
        "07700900222",
        "how_long",
        "rec.ann",
    )


def test_the_page_of_a_question_sent_on_the_request_form_points_to_the_inbox_and_offers_no_identity_check(
    client, practice, patient
):
    request, _ = submit(practice, patient)
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(
        reverse("staff:request", kwargs={"ods": practice.ods_code, "request_id": request.pk})
    ).content.decode()
    assert "A question, not a request for access" in page
    assert reverse("staff:inbox", kwargs={"ods": practice.ods_code}) in page
    assert "Record identity check" not in page
