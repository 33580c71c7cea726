"""What staff do with a question: each action audited and on the thread, an answer sent exactly once with nothing
clinical in a text or email, another practice's question never reached, and a question turned into a request or
a recorded "no thank you"."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.localnotify import LOSSES
from recordaccess.outreach.models import DirectMessage
from recordaccess.practices.roles import Role
from recordaccess.questions import selectors, services
from recordaccess.questions.models import Question, QuestionPolicy
from recordaccess.review.models import CodingEntry
from tests import factories
from tests.questions.conftest import STAFF, ask, submit

pytestmark = pytest.mark.django_db
DECLINE_CODE = "1290331000000103"


def url(name, question, **extra):
    kwargs = {"ods": question.practice.ods_code, "question_id": question.pk, **extra}
    return reverse(f"staff:{name}", kwargs=kwargs)


def act(client, question, action, data=None, **options):
    return client.post(url("inbox_action", question, action=action), data or {}, **options)


def answer_form(
    question, text="We will text you when it is ready.", channel="sms", number=1, then="answered"
):
    return {"answer-channel": channel, "answer-text": text, "answer-number": number, "answer-then": then}


@pytest.fixture
def reception(client, practice):
    user = factories.staff(practice, Role.RECEPTION, "rec.ann")
    factories.sign_in(client, user)
    return user


def test_the_inbox_lists_open_questions_by_due_date_with_overdue_shown_and_is_audited(
    client, practice, patient, reception
):
    late = ask(practice, patient, text="Asked last week")
    Question.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    fresh = ask(practice, text="Asked today")
    page = client.get(reverse("staff:inbox", kwargs={"ods": practice.ods_code})).content.decode()
    assert page.index("Asked last week") < page.index("Asked today") and "Overdue" in page
    overdue = client.get(reverse("staff:inbox", kwargs={"ods": practice.ods_code}) + "?show=overdue")
    assert "Asked last week" in overdue.content.decode() and "Asked today" not in overdue.content.decode()
    assert selectors.questions_overdue(practice) == 1 and selectors.questions_new(practice) == 2
    entry = AuditEntry.objects.filter(action="questions.view").order_by("pk").first()
    assert json.loads(entry.detail)["patient_ids"] == [patient.pk]
    assert fresh.pk in [q.pk for q in selectors.inbox(practice, user=reception, show="new")]


def test_filters_by_mine_state_and_topic(client, practice, reception):
    mine = ask(practice, text="Mine", topic="proxy")
    ask(practice, text="Not mine", topic="terms")
    act(client, mine, "take")
    base = reverse("staff:inbox", kwargs={"ods": practice.ods_code})
    assert "Not mine" not in client.get(base + "?show=mine").content.decode()
    assert "Mine" in client.get(base + "?show=assigned").content.decode()
    by_topic = client.get(base + "?topic=terms").content.decode()
    assert "Not mine" in by_topic and ">Q" in by_topic and "Mine</" not in by_topic


def test_a_question_page_shows_its_thread_and_each_action_is_on_the_thread_and_audited(
    client, practice, patient, reception
):
    colleague = factories.staff(practice, Role.REVIEWER, "dr.rao")
    question = ask(practice, patient)
    assert client.get(url("inbox_question", question)).status_code == 200
    assert AuditEntry.objects.filter(action="question.view", patient_id=patient.pk).exists()
    act(client, question, "assign", {"assign-owner": colleague.pk})
    act(client, question, "topic", {"topic-topic": "results"})
    act(client, question, "note", {"note-text": "Sounds worried"})
    act(client, question, "clinician", {"clinician-reason": "About results"})
    question.refresh_from_db()
    assert (question.owner, question.topic, question.state) == (colleague, "results", "clinician")
    assert selectors.questions_for_clinician(practice) == 1
    act(client, question, "call", {"call-text": "Dr Rao explained", "call-then": "waiting"})
    act(client, question, "answered")
    question.refresh_from_db()
    assert (question.state, question.answered_by) == ("answered", "rec.ann")
    thread = [(e.kind, e.text) for e in question.entries.all()]
    assert thread == [
        ("asked", "Can I see my test results?"),
        ("state", "Assigned to dr.rao"),
        ("state", "Topic: Test results before the GP has discussed them"),
        ("note", "Sounds worried"),
        ("state", "Passed to a clinician: About results"),
        ("call", "Dr Rao explained"),
        ("state", "Waiting for the patient"),
        ("state", "Marked answered"),
    ]
    actions = set(AuditEntry.objects.filter(object_type="question").values_list("action", flat=True))
    assert {
        "question.assign",
        "question.topic",
        "question.note",
        "question.clinician",
        "question.call",
        "question.answered",
    } <= actions
    closed = act(client, question, "waiting", follow=True).content.decode()
    assert "This question was answered by rec.ann and is closed" in closed


def test_a_question_cannot_be_given_to_someone_outside_the_practice(
    client, practice, other_practice, reception
):
    outsider = factories.staff(other_practice, Role.RECEPTION, "elsewhere")
    question = ask(practice)
    page = act(client, question, "assign", {"assign-owner": outsider.pk})
    assert page.status_code == 400 and "Choose a member of this practice" in page.content.decode()
    with pytest.raises(services.QuestionError, match="member of this practice"):
        services.assign(actor=STAFF, question=question, owner_id=outsider.pk)


def test_an_answer_by_text_is_sent_exactly_once_when_the_form_is_sent_twice(
    client, practice, notify, reception
):
    question = ask(practice)
    form = answer_form(question)
    first = act(client, question, "answer", form, follow=True)
    second = act(client, question, "answer", form, follow=True)  # a double click, or the back button
    for pk in DirectMessage.objects.filter(status="queued").values_list("pk", flat=True):
        send_direct_message.call(pk)
    assert "Answer sent by text message" in first.content.decode()
    assert "already sent by text message: it is sent once" in second.content.decode()
    message = DirectMessage.objects.get()
    assert message.reference == f"question-{question.reference}-1" and message.status == "sent"
    assert (message.to, message.body) == (
        "07700 900141",
        "Riverside Surgery: We will text you when it is ready.",
    )
    assert len(notify.notifications) == 1
    question.refresh_from_db()
    assert question.state == "answered" and question.entries.filter(kind="answer").count() == 1
    assert AuditEntry.objects.filter(action="question.answer").count() == 1


@pytest.mark.parametrize("how", LOSSES)
def test_an_answer_whose_notify_answer_is_lost_is_looked_up_not_sent_again(practice, notify, settings, how):
    settings.SEND_RETRY_BASE_SECONDS, settings.NOTIFY_TIMEOUT_SECONDS = 0, 0.5
    question = ask(practice)
    message, new = services.answer(
        actor=STAFF, question=question, channel="sms", text="Yes, it is free.", number=1
    )
    assert new
    notify.lose_next(1, how)
    assert send_direct_message.call(message.pk) == "queued"
    assert send_direct_message.call(message.pk) == "sent"
    again, new = services.answer(
        actor=STAFF, question=question, channel="sms", text="Yes, it is free.", number=1
    )
    assert (again.pk, new) == (message.pk, False)
    assert notify.sent_references() == [f"question-{question.reference}-1"]


def test_a_second_answer_is_a_new_message_and_a_stale_form_is_refused(practice):
    question = ask(practice)
    services.answer(actor=STAFF, question=question, channel="sms", text="First", number=1, then="waiting")
    with pytest.raises(services.QuestionError, match="Someone else answered this question"):
        services.answer(actor=STAFF, question=question, channel="sms", text="Mine", number=3)
    services.answer(actor=STAFF, question=question, channel="sms", text="Second", number=2)
    assert DirectMessage.objects.count() == 2


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_clinical_words_are_refused_in_a_text_or_email_answer_with_the_words_named(
    client, practice, reception, channel
):
    question = ask(practice, email="anne@example.com")
    form = answer_form(question, text="Your blood test showed nothing about cancer.", channel=channel)
    page = act(client, question, "answer", form)
    text = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in text
    assert "must not carry clinical or risk detail" in text and "“blood test”, “cancer”" in text
    assert not DirectMessage.objects.exists() and question.entries.count() == 1


def test_a_letter_may_say_what_a_text_may_not(practice):
    question = ask(practice)
    message, _ = services.answer(
        actor=STAFF, question=question, channel="letter", text="About your blood test: call us.", number=1
    )
    assert message.channel == "letter" and message.to == "Anne Smith\n1 Road\nLeeds\nLS1 4AP"


def test_an_answer_needs_somewhere_to_go(practice):
    question = ask(practice, mobile="", email="")
    with pytest.raises(services.QuestionError, match="no mobile number"):
        services.answer(actor=STAFF, question=question, channel="sms", text="Hello", number=1)
    with pytest.raises(services.QuestionError, match="no email address"):
        services.answer(actor=STAFF, question=question, channel="email", text="Hello", number=1)


def test_another_practices_staff_cannot_see_or_act_on_a_question(client, practice, other_practice, patient):
    question = ask(practice, patient)
    factories.sign_in(client, factories.staff(other_practice, Role.ADMINISTRATOR, "b.admin"))
    foreign = {"ods": other_practice.ods_code, "question_id": question.pk}
    assert client.get(reverse("staff:inbox_question", kwargs=foreign)).status_code == 404
    for action in ("take", "answered", "decline", "request"):
        answer = client.post(reverse("staff:inbox_action", kwargs={**foreign, "action": action}))
        assert answer.status_code == 404
    inbox = client.get(reverse("staff:inbox", kwargs={"ods": other_practice.ods_code})).content.decode()
    assert question.reference not in inbox
    question.refresh_from_db()
    assert question.state == "new" and question.owner is None


@pytest.mark.parametrize(
    ("role", "inbox", "settings_page"),
    [
        (Role.RECEPTION, 200, 403),
        (Role.REVIEWER, 200, 403),
        (Role.ADMINISTRATOR, 200, 200),
        (Role.OBSERVER, 403, 403),
    ],
)
def test_roles(client, practice, role, inbox, settings_page):
    question = ask(practice)
    factories.sign_in(client, factories.staff(practice, role))
    assert client.get(reverse("staff:inbox", kwargs={"ods": practice.ods_code})).status_code == inbox
    assert client.get(url("inbox_question", question)).status_code == inbox
    assert (
        client.get(reverse("staff:inbox_settings", kwargs={"ods": practice.ods_code})).status_code
        == settings_page
    )


def test_the_answer_within_setting_gives_new_questions_their_due_date(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    settings_url = reverse("staff:inbox_settings", kwargs={"ods": practice.ods_code})
    for bad, message in (("", "Enter a number of days"), ("x", "whole number"), ("40", "from 1 to 28")):
        page = client.post(settings_url, {"answer_within_days": bad})
        assert page.status_code == 400 and message in page.content.decode()
    client.post(settings_url, {"answer_within_days": "5"})
    assert QuestionPolicy.objects.get(practice=practice).answer_within_days == 5
    assert ask(practice).due_on == timezone.localdate() + datetime.timedelta(days=5)
    assert AuditEntry.objects.filter(action="question.policy").exists()


def test_a_question_turns_into_a_request_for_access_in_the_normal_flow(client, practice, patient, reception):
    request, _ = submit(practice, patient)
    question = Question.objects.get()
    answer = act(client, question, "request")
    made = AccessRequest.objects.get(wish="wants_access")
    assert answer["Location"] == reverse(
        "staff:request", kwargs={"ods": practice.ods_code, "request_id": made.pk}
    )
    assert (made.patient, made.status, made.on_list, made.entered_by) == (
        patient,
        "matched",
        False,
        "rec.ann",
    )
    question.refresh_from_db()
    assert (question.request, question.became, question.state) == (made, "request", "answered")
    assert request.reference != made.reference
    assert f"Turned into request {made.reference_display}" in question.entries.last().text


def test_a_question_from_nobody_we_know_cannot_become_a_request_by_itself(practice):
    question = ask(practice)
    with pytest.raises(Exception, match="New request"):
        services.turn_into_request(actor=STAFF, question=question)


def test_a_no_thank_you_becomes_a_recorded_decline_with_its_code(client, practice, patient, reception):
    question = ask(practice, patient)
    page = act(client, question, "decline", follow=True).content.decode()
    assert "the decline code is on the coding worklist" in page
    entry = CodingEntry.objects.get()
    assert (entry.code, entry.nhs_number, entry.reply.source) == (DECLINE_CODE, patient.nhs_number, "staff")
    patient.refresh_from_db()
    assert (patient.preference, patient.access_status) == ("no_access", "declined")
    question.refresh_from_db()
    assert (question.became, question.state) == ("decline", "answered")
    assert AuditEntry.objects.filter(action="question.decline", patient_id=patient.pk).exists()


def test_a_no_thank_you_is_never_recorded_against_a_patient_we_do_not_know(client, practice, reception):
    question = ask(practice)
    page = act(client, question, "decline", follow=True).content.decode()
    assert "We do not know which patient this is" in page
    assert not CodingEntry.objects.exists()
