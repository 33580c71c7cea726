"""Patients' answers, as outreach sees them: the link in each message that asks for one, and reception's list of
patients with a question to call. What an answer becomes (a request, a decline code, a question) is the replies
app's (replies/services.py), above the apps an answer reaches into.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.outreach.models import PatientReply, ReplyStatus
from recordaccess.patients.models import Preference


def preference_link(code: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("reply", kwargs={"code": code})


def to_call(practice):
    """Patients with a question nobody has answered yet, oldest first: reception's list until the question inbox
    exists."""
    return (
        PatientReply.objects.filter(
            practice=practice,
            status=ReplyStatus.RECORDED,
            preference=Preference.HAS_QUESTIONS,
            answered_at=None,
        )
        .select_related("patient")
        .order_by("received_at")
    )


class ReplyError(DomainError):
    """Something that cannot be done to a reply, with a message for the person doing it."""


@transaction.atomic
def mark_answered(*, actor: Actor, practice, reply_id: int) -> PatientReply:
    """Staff have answered the patient's question (by phone, usually): it leaves the list to call."""
    reply = PatientReply.objects.select_for_update().filter(practice=practice, pk=reply_id).first()
    if reply is None or reply.preference != Preference.HAS_QUESTIONS:
        raise ReplyError("There is no question with that number for this practice.")
    if reply.answered_at is not None:
        raise ReplyError(f"{reply.answered_by} answered this question already.")
    reply.answered_at, reply.answered_by = timezone.now(), actor.name
    reply.save(update_fields=["answered_at", "answered_by"])
    record(
        actor=actor,
        action="reply.answered",
        practice_ods=practice.ods_code,
        object_type="patient_reply",
        object_id=reply.pk,
        patient_id=reply.patient_id,
    )
    return reply
