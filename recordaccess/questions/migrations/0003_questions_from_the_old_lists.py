"""Questions that sat on the old lists move into the inbox, so none is lost: unanswered "questions" replies and
texts a person must read (reception's list to call, the replies page), and open request-form questions (which
went onto the waiting list). A request that is not for access leaves the waiting list; an open "no thank you" on
it goes to the inbox for staff to record as a decline, since recording it here could not tell them."""

import datetime

from django.db import migrations
from django.utils import timezone

from recordaccess.core.codes import random_code

NOT_SAID = "They did not say what their question is."


def _new(Question, QuestionEntry, used, policy_days, practice_id, **fields):
    reference = "Q" + random_code(8).upper()
    while reference in used or Question.objects.filter(reference=reference).exists():
        reference = "Q" + random_code(8).upper()
    used.add(reference)
    days = policy_days.get(practice_id, 3)
    question = Question.objects.create(
        practice_id=practice_id,
        reference=reference,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        **fields,
    )
    QuestionEntry.objects.create(question=question, kind="asked", text=question.text, by="patient")


def forwards(apps, schema_editor):
    Question = apps.get_model("questions", "Question")
    QuestionEntry = apps.get_model("questions", "QuestionEntry")
    QuestionPolicy = apps.get_model("questions", "QuestionPolicy")
    AccessRequest = apps.get_model("intake", "AccessRequest")
    PatientReply = apps.get_model("outreach", "PatientReply")
    policy_days = dict(QuestionPolicy.objects.values_list("practice_id", "answer_within_days"))
    used: set[str] = set()

    def new(practice_id, **fields):
        return _new(Question, QuestionEntry, used, policy_days, practice_id, **fields)

    waiting = AccessRequest.objects.exclude(wish="wants_access").exclude(status="decided")
    for request in waiting.iterator():
        if Question.objects.filter(request=request).exists():
            continue
        contact = {
            "name": f"{request.given_name} {request.family_name}"[:200],
            "contact_by": request.contact_by
            if request.contact_by in ("sms", "email", "letter", "phone")
            else "sms",
            "mobile": request.mobile,
            "phone": request.phone,
            "email": request.email,
            "address": request.address,
            "postcode": request.postcode,
            "patient_id": request.patient_id,
            "request_id": request.pk,
        }
        if request.wish == "has_questions":
            new(request.practice_id, route="form", text=request.question.strip() or NOT_SAID, **contact)
        elif request.on_list or request.status == "matched":
            new(
                request.practice_id,
                route="form",
                topic="turn_off",
                text="Said on the request form that they do not want online access. Record their “no thank you”.",
                **contact,
            )
    AccessRequest.objects.exclude(wish="wants_access").filter(on_list=True).update(on_list=False)

    replies = PatientReply.objects.exclude(practice=None).filter(question=None)
    to_read = replies.filter(
        status="recorded", preference="has_questions", answered_at=None
    ) | replies.filter(status__in=("needs_review", "unmatched"))
    for reply in to_read.select_related("patient").iterator():
        patient = reply.patient
        mobile = patient.mobile if patient and patient.mobile else ""
        if not mobile and reply.from_number.startswith("07") and len(reply.from_number) == 11:
            mobile = reply.from_number
        email = patient.email if patient else ""
        new(
            reply.practice_id,
            route="link" if reply.source == "link" else "sms",
            text=reply.text.strip() or NOT_SAID,
            name=f"{patient.given_name} {patient.family_name}" if patient else "",
            contact_by="sms" if mobile else ("email" if email else "letter"),
            mobile=mobile,
            email=email,
            patient_id=reply.patient_id,
            reply_id=reply.pk,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0002_ppg_log"),
        ("outreach", "0018_reply_sources_form_and_staff"),
        ("intake", "0012_request_phone"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
