"""Replies that count: the patient's own preference link, and text messages back through Notify's callback."""

import json
import re

import pytest
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.models import Message, OutboxItem, PatientReply, ReplyStatus
from recordaccess.outreach.replies import keyword
from recordaccess.outreach.sending import send_batch
from recordaccess.outreach.services import approve_campaign
from recordaccess.patients.models import Patient
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db
TOKEN = "receipts-token-for-tests"


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
