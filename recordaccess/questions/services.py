"""What staff do with a question in the inbox, and how the other routes' questions reach it.

Each action is one transaction on the locked question, with its audit entry and a line on the question's thread.
An answer goes through the one message path (outreach.direct.queue) under a reference made of the question and
the answer's number, so a double submit or a retry sends it once (H76); a text or email answer never carries a
clinical word (H77). A "no thank you" is recorded only against a patient we know (H79).

The lower apps never import this one: intake's `request_received`/`request_matched` and replies' `reply_to_read`
signals are answered here (connected in apps.py), so a question from the request form, the link in a message or
a text a person must read is in the inbox once, and a "no" on the request form becomes a recorded decline.
"""

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.intake.models import AccessRequest, RequestStatus, Wish
from recordaccess.intake.services import request_for_access
from recordaccess.outreach import direct
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.models import DirectMessage, PatientReply, ReplySource
from recordaccess.patients.models import Preference
from recordaccess.practices.models import Membership
from recordaccess.practices.roles import PATIENT_DATA_ROLES
from recordaccess.questions import inbox
from recordaccess.questions.models import (
    OPEN_STATES,
    ContactBy,
    EntryKind,
    Question,
    QuestionEntry,
    QuestionPolicy,
    QuestionRoute,
    QuestionState,
    Topic,
)
from recordaccess.replies.services import record_preference

PATIENT = Actor.system("patient")
NOT_SAID = "They did not say what their question is."
ANSWER_CHANNELS = (ContactBy.SMS, ContactBy.EMAIL, ContactBy.LETTER)
PRIVATE_CHANNELS = (ContactBy.SMS, ContactBy.EMAIL)
MAX_ANSWER_DAYS = 28


class QuestionError(DomainError):
    """Something that cannot be done to a question, with a message for the person doing it."""


# How each route reaches the inbox


def follow_request(sender, *, request: AccessRequest, actor: Actor, **kwargs) -> None:
    """intake's `request_received`: a question on the request form goes to the inbox, never the waiting list; a
    "no thank you" matched to a patient becomes a recorded decline (unmatched, it waits on the matching list)."""
    if request.wish == Wish.HAS_QUESTIONS:
        _question_from_request(request, actor)
    elif request.wish == Wish.NO_ACCESS:
        _decline_from_request(request, actor)


def follow_match(sender, *, request: AccessRequest, actor: Actor, **kwargs) -> None:
    """intake's `request_matched`: the question learns whose it is; a "no" matched by a person is recorded."""
    if request.wish == Wish.HAS_QUESTIONS:
        Question.objects.filter(request=request, patient=None).update(patient=request.patient)
    elif request.wish == Wish.NO_ACCESS:
        _decline_from_request(request, actor)


def _question_from_request(request: AccessRequest, actor: Actor) -> Question:
    existing = Question.objects.filter(request=request).first()
    if existing:
        return existing
    name = f"{request.given_name} {request.family_name}"
    if request.for_someone_else and request.requester_name:
        name = f"{request.requester_name} ({request.requester_relationship or 'asking'} for {name})"
    return inbox.receive(
        actor=actor,
        practice=request.practice,
        route=QuestionRoute.FORM,
        text=request.question.strip() or NOT_SAID,
        name=name[:200],
        contact_by=request.contact_by if request.contact_by in ContactBy.values else ContactBy.SMS,
        mobile=request.mobile,
        phone=request.phone,
        email=request.email,
        address=request.address,
        postcode=request.postcode,
        patient=request.patient,
        request=request,
    )


def _decline_from_request(request: AccessRequest, actor: Actor) -> None:
    """A "no" on the request form, once we know whose it is. Someone saying no for another person is not taken
    as that person's own word: it goes to the inbox for staff to confirm with the patient (H79)."""
    if request.status == RequestStatus.DECIDED or request.patient_id is None:
        return
    if request.for_someone_else:
        if not Question.objects.filter(request=request).exists():
            inbox.receive(
                actor=actor,
                practice=request.practice,
                route=QuestionRoute.FORM,
                topic=Topic.TURN_OFF,
                text=(
                    f"{request.requester_name or 'Someone'} said on the request form that "
                    f"{request.given_name} {request.family_name} does not want online access. Check with the "
                    "patient, then record their “no thank you” here."
                ),
                name=(request.requester_name or f"{request.given_name} {request.family_name}")[:200],
                contact_by=request.contact_by if request.contact_by in ContactBy.values else ContactBy.SMS,
                mobile=request.mobile,
                phone=request.phone,
                email=request.email,
                address=request.address,
                postcode=request.postcode,
                patient=request.patient,
                request=request,
            )
        return
    record_preference(patient=request.patient, preference=Preference.NO_ACCESS, source=ReplySource.FORM)


def follow_reply(sender, *, reply: PatientReply, **kwargs) -> Question | None:
    """replies' `reply_to_read`: a "questions" answer or a text a person must read, in the inbox once. A text
    from a number we never messaged names no practice: it stays on the replies page of none."""
    if reply.practice_id is None:
        return None
    existing = Question.objects.filter(reply=reply).first()
    if existing:
        return existing
    patient = reply.patient
    mobile = patient.mobile if patient and patient.mobile else ""
    if not mobile and reply.from_number.startswith("07") and len(reply.from_number) == 11:
        mobile = reply.from_number
    email = patient.email if patient else ""
    contact_by = ContactBy.SMS if mobile else (ContactBy.EMAIL if email else ContactBy.LETTER)
    lines = patient.address_lines if patient else []
    return inbox.receive(
        actor=PATIENT,
        practice=reply.practice,
        route=QuestionRoute.LINK if reply.source == ReplySource.LINK else QuestionRoute.SMS,
        text=reply.text.strip() or NOT_SAID,
        name=str(patient) if patient else "",
        contact_by=contact_by,
        mobile=mobile,
        email=email,
        address="\n".join(lines[:-1]) if patient else "",
        postcode=patient.postcode if patient else "",
        patient=patient,
        reply=reply,
    )


def ask_by_call(
    *,
    actor: Actor,
    practice,
    text: str,
    topic: str,
    name: str,
    contact_by: str,
    mobile: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postcode: str = "",
    patient=None,
) -> Question:
    """A question a member of staff keys in from a call (or the desk)."""
    return inbox.receive(
        actor=actor,
        practice=practice,
        route=QuestionRoute.CALL,
        text=text,
        topic=topic,
        by=actor.name,
        name=name,
        contact_by=contact_by,
        mobile=mobile,
        phone=phone,
        email=email,
        address=address,
        postcode=postcode,
        patient=patient,
    )


# What staff do with a question


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("practice").get(pk=question.pk)


def _open(question: Question) -> None:
    if question.state not in OPEN_STATES:
        who = f" by {question.answered_by}" if question.answered_by else ""
        raise QuestionError(
            f"This question was answered{who} and is closed: add a note if something new happens."
        )


def _audit(actor: Actor, question: Question, action: str, detail: dict | None = None) -> None:
    record(
        actor=actor,
        action=action,
        practice_ods=question.practice.ods_code,
        object_type="question",
        object_id=question.pk,
        patient_id=question.patient_id,
        detail=detail or {},
    )


def _entry(question: Question, kind: str, text: str, actor: Actor, **fields) -> QuestionEntry:
    return QuestionEntry.objects.create(question=question, kind=kind, text=text, by=actor.name, **fields)


def _set_state(question: Question, state: str, actor: Actor, fields: tuple = ()) -> None:
    question.state = state
    if state == QuestionState.ANSWERED:
        question.answered_at, question.answered_by = timezone.now(), actor.name
        fields = (*fields, "answered_at", "answered_by")
    question.save(update_fields=["state", "updated_at", *fields])


@transaction.atomic
def assign(*, actor: Actor, question: Question, owner_id: int) -> Question:
    """Give the question to a member of the practice who may see patients' details (to me, or to a colleague)."""
    question = _locked(question)
    _open(question)
    member = (
        Membership.objects.select_related("user")
        .filter(
            practice=question.practice, user_id=owner_id, role__in=PATIENT_DATA_ROLES, user__is_active=True
        )
        .first()
    )
    if member is None:
        raise QuestionError("Choose a member of this practice's staff who can see patients' details.")
    question.owner = member.user
    state = QuestionState.ASSIGNED if question.state == QuestionState.NEW else question.state
    _set_state(question, state, actor, ("owner",))
    _entry(question, EntryKind.STATE, f"Assigned to {member.user.get_username()}", actor)
    _audit(actor, question, "question.assign", {"owner": member.user.get_username()})
    return question


@transaction.atomic
def set_topic(*, actor: Actor, question: Question, topic: str) -> Question:
    if topic not in Topic.values:
        raise QuestionError("Choose what the question is about.")
    question = _locked(question)
    question.topic = topic
    question.save(update_fields=["topic", "updated_at"])
    _entry(question, EntryKind.STATE, f"Topic: {Topic(topic).label}", actor)
    _audit(actor, question, "question.topic", {"topic": topic})
    return question


@transaction.atomic
def add_note(*, actor: Actor, question: Question, text: str) -> QuestionEntry:
    text = text.strip()
    if not text:
        raise QuestionError("Write the note.")
    question = _locked(question)
    entry = _entry(question, EntryKind.NOTE, text, actor)
    _audit(actor, question, "question.note")
    return entry


def _then(question: Question, then: str, actor: Actor) -> None:
    if then == QuestionState.WAITING:
        _set_state(question, QuestionState.WAITING, actor)
        _entry(question, EntryKind.STATE, "Waiting for the patient", actor)
    else:
        _set_state(question, QuestionState.ANSWERED, actor)
        _entry(question, EntryKind.STATE, "Answered", actor)


def private_words(text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in PRIVATE_WORDS.finditer(text)})


def answer_number(question: Question) -> int:
    """The number the next answer will have: the answer form carries it, so sending the same form twice is one
    answer (its reference is the same)."""
    return question.entries.filter(kind=EntryKind.ANSWER).count() + 1


def answer_reference(question: Question, number: int) -> str:
    return f"question-{question.reference}-{number}"


@transaction.atomic
def answer(
    *,
    actor: Actor,
    question: Question,
    channel: str,
    text: str,
    number: int,
    then: str = QuestionState.ANSWERED,
) -> tuple[DirectMessage, bool]:
    """Send the patient an answer by text, email or letter, once. Returns the message and whether it is new:
    the same form sent again (a double click, a retry) finds the answer it already queued."""
    question = _locked(question)
    reference = answer_reference(question, number)
    already = DirectMessage.objects.filter(reference=reference).first()
    if already is not None:
        return already, False
    _open(question)
    if number != answer_number(question):
        raise QuestionError(
            "Someone else answered this question while you were writing: read the thread first."
        )
    text = text.strip()
    if not text:
        raise QuestionError("Write the answer.")
    if channel not in ANSWER_CHANNELS:
        raise QuestionError("Choose how to send the answer: text message, email or letter.")
    if channel in PRIVATE_CHANNELS:
        found = private_words(text)
        if found:
            words = ", ".join(f"“{w}”" for w in found)
            raise QuestionError(
                f"A text message or email must not carry clinical or risk detail, as someone else may read it: "
                f"take out {words}, or call the patient or send a letter."
            )
    practice = question.practice
    if channel == ContactBy.SMS:
        if not question.mobile:
            raise QuestionError("There is no mobile number for this question: send an email or a letter.")
        to = direct.address(channel="sms", mobile=question.mobile)
    elif channel == ContactBy.EMAIL:
        if not question.email:
            raise QuestionError("There is no email address for this question: send a text or a letter.")
        to = direct.address(channel="email", email=question.email)
    else:
        lines = [question.name, *question.address.splitlines(), question.postcode]
        lines = [line.strip() for line in lines if line and line.strip()]
        if not question.address.strip() or not question.postcode:
            raise QuestionError("There is no postal address for this question: send a text or an email.")
        to = direct.address(channel="letter", letter_lines=lines)
    body = f"{practice.name}: {text}"
    if channel != ContactBy.SMS:
        body = f"{text}\n\n{practice.name}" + (f", {practice.phone}" if practice.phone else "")
    message = direct.queue(
        practice=practice,
        reference=reference,
        channel=channel,
        to=to,
        subject=f"Your question to {practice.name}",
        body=body,
    )
    _entry(question, EntryKind.ANSWER, text, actor, channel=channel, direct_message=message)
    _then(question, then, actor)
    _audit(actor, question, "question.answer", {"channel": channel, "reference": reference, "then": then})
    return message, True


@transaction.atomic
def record_call(
    *, actor: Actor, question: Question, text: str, then: str = QuestionState.ANSWERED
) -> QuestionEntry:
    text = text.strip()
    if not text:
        raise QuestionError("Write what was said on the call.")
    question = _locked(question)
    _open(question)
    entry = _entry(question, EntryKind.CALL, text, actor, channel=ContactBy.PHONE)
    _then(question, then, actor)
    _audit(actor, question, "question.call", {"then": then})
    return entry


@transaction.atomic
def wait_for_patient(*, actor: Actor, question: Question) -> Question:
    question = _locked(question)
    _open(question)
    if question.state == QuestionState.WAITING:
        raise QuestionError("This question is already waiting for the patient.")
    _set_state(question, QuestionState.WAITING, actor)
    _entry(question, EntryKind.STATE, "Waiting for the patient", actor)
    _audit(actor, question, "question.waiting")
    return question


@transaction.atomic
def pass_to_clinician(*, actor: Actor, question: Question, reason: str) -> Question:
    """A question reception should not answer (about what is in the record, results, a worry): a reviewer
    picks it up from their overview."""
    reason = reason.strip()
    if not reason:
        raise QuestionError("Say why a clinician should answer it.")
    question = _locked(question)
    _open(question)
    _set_state(question, QuestionState.CLINICIAN, actor)
    _entry(question, EntryKind.STATE, f"Passed to a clinician: {reason}", actor)
    _audit(actor, question, "question.clinician")
    return question


@transaction.atomic
def mark_answered(*, actor: Actor, question: Question) -> Question:
    question = _locked(question)
    _open(question)
    _set_state(question, QuestionState.ANSWERED, actor)
    _entry(question, EntryKind.STATE, "Marked answered", actor)
    _audit(actor, question, "question.answered")
    return question


@transaction.atomic
def turn_into_request(*, actor: Actor, question: Question) -> AccessRequest:
    """The patient wants access after all: a request for access, linked to the question, entering the normal
    flow (matched, identity verified, then the waiting list). The question is closed as answered."""
    question = _locked(question)
    _open(question)
    earlier = question.request
    request = request_for_access(
        actor=actor, practice=question.practice, patient=question.patient, earlier=earlier
    )
    question.request, question.became = request, "request"
    if question.patient_id is None and request.patient_id is not None:
        question.patient_id = request.patient_id
    _set_state(question, QuestionState.ANSWERED, actor, ("request", "became", "patient"))
    _entry(question, EntryKind.STATE, f"Turned into request {request.reference_display}", actor)
    _audit(actor, question, "question.request", {"request": request.pk})
    return request


@transaction.atomic
def record_no_thank_you(*, actor: Actor, question: Question) -> PatientReply:
    """The patient told us they do not want online access: recorded as their decline, the 103 on the coding
    worklist and any open request of theirs closed, as a "no" to our message is. Only against a patient we
    know: a question from someone we have not matched is refused (H79)."""
    question = _locked(question)
    _open(question)
    if question.patient_id is None:
        raise QuestionError(
            "We do not know which patient this is: match their request to the register first, or record the "
            "“no” on the patient's own page."
        )
    reply = record_preference(
        patient=question.patient, preference=Preference.NO_ACCESS, source=ReplySource.STAFF
    )
    question.became = "decline"
    _set_state(question, QuestionState.ANSWERED, actor, ("became",))
    _entry(
        question,
        EntryKind.STATE,
        "Recorded a “no thank you”: the decline code is on the coding worklist",
        actor,
    )
    _audit(actor, question, "question.decline", {"reply": reply.pk})
    return reply


@transaction.atomic
def save_policy(*, actor: Actor, practice, answer_within_days: int) -> QuestionPolicy:
    """The practice's answer-within setting: the due date of each new question (those in the inbox keep theirs)."""
    if not 1 <= answer_within_days <= MAX_ANSWER_DAYS:
        raise QuestionError(f"Enter a number of days from 1 to {MAX_ANSWER_DAYS}.")
    policy, _ = QuestionPolicy.objects.get_or_create(practice=practice)
    before = policy.answer_within_days
    policy.answer_within_days, policy.updated_by = answer_within_days, actor.name
    policy.save()
    record(
        actor=actor,
        action="question.policy",
        practice_ods=practice.ods_code,
        object_type="question_policy",
        object_id=policy.pk,
        detail={"answer_within_days": [before, answer_within_days]},
    )
    return policy
