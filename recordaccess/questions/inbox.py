"""Questions arriving in the inbox, however they came. `receive` is the one way in: it gives the question a
reference and its due date (the practice's answer-within setting), starts its thread with what the patient asked,
and audits it. Pages and the other routes call it; it never sends a message itself."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.codes import random_code
from recordaccess.questions.models import EntryKind, Question, QuestionEntry, QuestionPolicy, Topic

DEFAULT_ANSWER_WITHIN_DAYS = 3


def answer_within_days(practice) -> int:
    policy = QuestionPolicy.objects.filter(practice=practice).first()
    return policy.answer_within_days if policy else DEFAULT_ANSWER_WITHIN_DAYS


def due_on(practice, asked: datetime.date | None = None) -> datetime.date:
    asked = asked or timezone.localdate()
    return asked + datetime.timedelta(days=answer_within_days(practice))


def new_reference() -> str:
    """`Q` and eight characters from core/codes.py: read out on a call without confusion."""
    return "Q" + random_code(8).upper()


@transaction.atomic
def receive(
    *,
    actor: Actor,
    practice,
    route: str,
    text: str,
    topic: str = Topic.OTHER,
    by: str = "patient",
    **fields,
) -> Question:
    """Put a question in the inbox: `fields` are Question's own (name, contact_by, mobile, email, phone, address,
    postcode, patient, request, reply, faq)."""
    for _ in range(5):
        try:
            with transaction.atomic():
                question = Question.objects.create(
                    practice=practice,
                    reference=new_reference(),
                    route=route,
                    topic=topic,
                    text=text,
                    due_on=due_on(practice),
                    **fields,
                )
            break
        except IntegrityError:  # the same reference drawn twice: draw again
            continue
    else:  # pragma: no cover - 40 bits drawn five times
        raise RuntimeError("Could not draw a unique question reference")
    QuestionEntry.objects.create(question=question, kind=EntryKind.ASKED, text=text, by=by)
    record(
        actor=actor,
        action="question.received",
        practice_ods=practice.ods_code,
        object_type="question",
        object_id=question.pk,
        patient_id=question.patient_id,
        detail={"route": route, "topic": topic},
    )
    return question
