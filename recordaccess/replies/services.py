"""What a patient's answer to our message becomes. This app sits at the top of the others because an answer
reaches down into each: outreach (the message and its reply), intake (a request) and review (a decline code, a
closed request).

A preference is put on a record only when we know whose it is. A link carries a code made for one message to
one patient. A text message is matched by the number we texted; when that number belongs to more than one
patient we messaged (a family sharing a phone), or the words are not a clear answer, the reply waits for a
person to read it rather than be recorded against the wrong patient (hazard H18).

A recorded answer becomes what it says (`follow`): "yes" a request on the list, matched to the patient and
waiting for their identity to be verified (H55); "no" the decline code on the coding worklist, and their access
status with it (H56), closing any request of theirs still open (H63); "questions" a question in the question inbox
(questions/inbox.py, told by the `reply_to_read` signal), as is every text a person must read.
"""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.intake.services import request_from_answer
from recordaccess.outreach import direct
from recordaccess.outreach.models import Message, MessageStatus, PatientReply, ReplySource, ReplyStatus
from recordaccess.outreach.selectors import nhs_help
from recordaccess.patients.contacts import ContactError, normalise_uk_mobile
from recordaccess.patients.models import Patient, Preference
from recordaccess.replies.signals import reply_to_read
from recordaccess.review.coding import patient_declined
from recordaccess.review.decisions import patient_said_no

# How long after we text a patient a reply from their number is taken as an answer to us.
SMS_REPLY_DAYS = 90
KEYWORDS = {
    "yes": Preference.WANTS_ACCESS,
    "y": Preference.WANTS_ACCESS,
    "no": Preference.NO_ACCESS,
    "n": Preference.NO_ACCESS,
    "question": Preference.HAS_QUESTIONS,
    "questions": Preference.HAS_QUESTIONS,
    "q": Preference.HAS_QUESTIONS,
}
CHOICES = [Preference.WANTS_ACCESS, Preference.NO_ACCESS, Preference.HAS_QUESTIONS]
PATIENT = Actor.system("patient")


def message_for_code(code: str) -> Message | None:
    if not re.fullmatch(r"[a-z0-9]{10}", code or ""):
        return None
    return (
        Message.objects.select_related("patient", "campaign__practice")
        .filter(reply_code=code, patient__status="registered")
        .first()
    )


def keyword(text: str) -> str:
    """A clear one-word answer (YES, NO, QUESTION), else ''."""
    words = re.findall(r"[a-z]+", text.lower())
    return KEYWORDS.get(words[0], "") if len(words) == 1 else ""


@transaction.atomic
def record_preference(
    *, patient: Patient, preference: str, source: str, message: Message | None = None, **reply
) -> PatientReply:
    if preference not in CHOICES:
        raise ValueError(f"Not a preference: {preference!r}")
    now = timezone.now()
    Patient.objects.filter(pk=patient.pk).update(preference=preference, preference_recorded_at=now)
    saved = PatientReply.objects.create(
        practice_id=patient.practice_id,
        patient=patient,
        message=message,
        source=source,
        preference=preference,
        status=ReplyStatus.RECORDED,
        **reply,
    )
    record(
        actor=PATIENT,
        action="patient.preference",
        practice_ods=patient.practice.ods_code,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"preference": preference, "source": source, "message": message.reference if message else ""},
    )
    follow(saved)
    return saved


def follow(reply: PatientReply) -> None:
    """The answer becomes what it says: a question goes to the question inbox."""
    if reply.preference == Preference.WANTS_ACCESS:
        reply.request = request_from_answer(actor=PATIENT, patient=reply.patient)
        reply.save(update_fields=["request"])
    elif reply.preference == Preference.NO_ACCESS:
        closed = patient_said_no(patient=reply.patient, reply=reply)
        if closed:
            reply.request = closed[0].request
            reply.save(update_fields=["request"])
        patient_declined(patient=reply.patient, reply=reply)
    elif reply.preference == Preference.HAS_QUESTIONS:
        reply_to_read.send(sender=PatientReply, reply=reply)


def tell_by_text(reply: PatientReply, mobile: str) -> None:
    """A text answer is told by text what happens next, once (the link's page tells a link answer). A "yes" is
    told by its request's acknowledgement, with the reference."""
    practice = reply.patient.practice
    if reply.preference == Preference.NO_ACCESS:
        told = (
            "You do not want to see your GP record online, so online access will not be turned on for you. "
            "You can change your mind at any time."
        )
        if reply.request_id:
            told += f" We have closed your request {reply.request.reference_display}."
    elif reply.preference == Preference.HAS_QUESTIONS:
        told = "Someone from the practice will contact you to answer your questions."
    else:
        return
    direct.queue(
        practice=practice,
        reference=f"ANS-{reply.pk}",
        channel="sms",
        to=direct.address(channel="sms", mobile=mobile),
        subject="",
        body=f"{practice.name}: thank you, we have your answer. {told} {nhs_help(practice)}",
    )


def reply_by_link(code: str, preference: str, question: str = "") -> PatientReply | None:
    message = message_for_code(code)
    if message is None:
        return None
    question = question.strip() if preference == Preference.HAS_QUESTIONS else ""
    return record_preference(
        patient=message.patient,
        preference=preference,
        source=ReplySource.LINK,
        message=message,
        text=question,
    )


def inbound_sms(notify_id: str, source_number: str, text: str) -> PatientReply:
    """A text message to our number, from Notify's inbound callback. Notify may send one twice: the second
    changes nothing."""
    existing = PatientReply.objects.filter(notify_id=notify_id).first()
    if existing:
        return existing
    try:
        mobile = normalise_uk_mobile(source_number)
    except ContactError:
        mobile = ""
    since = timezone.now() - datetime.timedelta(days=SMS_REPLY_DAYS)
    recent = (
        Message.objects.filter(
            channel="sms",
            patient__mobile=mobile,
            sent_at__gte=since,
            status__in=(MessageStatus.SENT, MessageStatus.DELIVERED),
        )
        .select_related("patient__practice", "campaign")
        .order_by("-sent_at")
        if mobile
        else Message.objects.none()
    )
    messages = list(recent[:20])
    patients = {m.patient_id: m.patient for m in messages}
    preference = keyword(text)
    reply = {"text": text[:2000], "from_number": mobile or source_number[:20], "notify_id": notify_id}
    try:
        if len(patients) == 1 and preference:
            saved = record_preference(
                patient=messages[0].patient,
                preference=preference,
                source=ReplySource.SMS,
                message=messages[0],
                **reply,
            )
            tell_by_text(saved, mobile)
            return saved
        practices = {m.campaign.practice_id for m in messages}
        with transaction.atomic():
            saved = PatientReply.objects.create(
                practice_id=practices.pop() if len(practices) == 1 else None,
                patient=messages[0].patient if len(patients) == 1 else None,
                message=messages[0] if messages else None,
                source=ReplySource.SMS,
                preference=preference,
                status=ReplyStatus.NEEDS_REVIEW if messages else ReplyStatus.UNMATCHED,
                **reply,
            )
            reply_to_read.send(sender=PatientReply, reply=saved)
        return saved
    except IntegrityError:  # the same callback arriving twice at once
        return PatientReply.objects.get(notify_id=notify_id)
