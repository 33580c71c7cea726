"""The questions that sat on the old lists before the inbox move into it, and nothing but requests for access is
left on the waiting list (questions/migrations/0003_questions_from_the_old_lists.py)."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.models import PatientReply, ReplySource, ReplyStatus
from recordaccess.questions.models import Question
from tests.questions.conftest import STAFF
from tests.review.conftest import waiting_request

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("recordaccess.questions.migrations.0003_questions_from_the_old_lists")


def test_open_questions_on_the_old_lists_move_into_the_inbox_and_off_the_waiting_list(practice, patient):
    asked = waiting_request(practice)
    said_no = waiting_request(practice)
    AccessRequest.objects.filter(pk=asked.pk).update(wish="has_questions", question="Who sees it?")
    AccessRequest.objects.filter(pk=said_no.pk).update(wish="no_access")
    to_call = PatientReply.objects.create(
        practice=practice,
        patient=patient,
        source=ReplySource.LINK,
        preference="has_questions",
        status=ReplyStatus.RECORDED,
        text="Is it safe?",
    )
    PatientReply.objects.create(  # answered on the old list already: nothing to move
        practice=practice,
        patient=patient,
        source=ReplySource.LINK,
        preference="has_questions",
        status=ReplyStatus.RECORDED,
        answered_at=timezone.now(),
        answered_by=STAFF.name,
    )
    MIGRATION.forwards(apps, None)
    MIGRATION.forwards(apps, None)  # run again, nothing doubles
    assert set(AccessRequest.objects.filter(on_list=True).values_list("wish", flat=True)) <= {"wants_access"}
    moved = {q.text: q for q in Question.objects.all()}
    assert len(moved) == 3 and {"Who sees it?", "Is it safe?"} <= set(moved)
    assert moved["Who sees it?"].request_id == asked.pk and moved["Is it safe?"].reply_id == to_call.pk
    assert moved["Is it safe?"].mobile == patient.mobile and all(
        q.entries.count() == 1 for q in moved.values()
    )
    [no] = [q for t, q in moved.items() if t.startswith("Said on the request form")]
    assert no.request_id == said_no.pk and no.topic == "turn_off"
