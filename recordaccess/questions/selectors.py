"""Reading questions: always within one practice. The inbox's lists and counts are here, and the counts the
overview shows (questions/staff_urls.py); figures (by topic, route, time to answer) may read `practice_questions`."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from recordaccess.core.scoping import one_for_practice
from recordaccess.practices.models import Membership
from recordaccess.practices.roles import PATIENT_DATA_ROLES
from recordaccess.questions.models import OPEN_STATES, Question, QuestionPolicy, QuestionState, Topic

# The inbox's filters (?show=...): its open questions, in due order, or those in one state.
SHOWS = {
    "open": "Open",
    "mine": "Assigned to me",
    "overdue": "Overdue",
    **dict(QuestionState.choices),
}


def practice_questions(practice) -> QuerySet[Question]:
    return Question.objects.filter(practice=practice)


def open_questions(practice) -> QuerySet[Question]:
    return practice_questions(practice).filter(state__in=OPEN_STATES)


def inbox(practice, *, user, show: str = "open", topic: str = "") -> QuerySet[Question]:
    """The questions chosen by the inbox's filters, oldest due first."""
    chosen = practice_questions(practice)
    if show == "mine":
        chosen = chosen.filter(state__in=OPEN_STATES, owner=user)
    elif show == "overdue":
        chosen = chosen.filter(state__in=OPEN_STATES, due_on__lt=timezone.localdate())
    elif show in QuestionState.values:
        chosen = chosen.filter(state=show)
    else:
        chosen = chosen.filter(state__in=OPEN_STATES)
    if topic in Topic.values:
        chosen = chosen.filter(topic=topic)
    if show == QuestionState.ANSWERED:
        return chosen.select_related("owner").order_by("-answered_at", "-id")
    return chosen.select_related("owner").order_by("due_on", "asked_at", "id")


def inbox_counts(practice, *, user) -> dict[str, int]:
    """How many questions each filter shows."""
    counts = dict(practice_questions(practice).values_list("state").annotate(n=Count("pk")))
    counts["open"] = sum(counts.get(s, 0) for s in OPEN_STATES)
    counts["mine"] = questions_mine(practice, user)
    counts["overdue"] = questions_overdue(practice)
    return counts


def question_for_practice(practice, question_id: int) -> Question:
    """One of the practice's questions, with who it came from, or NotFound."""
    return one_for_practice(
        Question.objects.select_related("practice", "owner", "patient", "request", "reply"),
        practice,
        question_id,
    )


def thread(question: Question):
    return question.entries.select_related("direct_message").order_by("at", "id")


def assignable_staff(practice) -> QuerySet[Membership]:
    """Staff who may be given a question: members who may see patients' details."""
    return (
        Membership.objects.filter(practice=practice, role__in=PATIENT_DATA_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def policy_for(practice) -> QuestionPolicy:
    return QuestionPolicy.objects.filter(practice=practice).first() or QuestionPolicy(practice=practice)


# The overview's counts (practices.home): each takes the practice and the staff member.


def questions_new(practice, user=None) -> int:
    """New questions nobody has picked up yet."""
    return practice_questions(practice).filter(state=QuestionState.NEW).count()


def questions_mine(practice, user=None) -> int:
    if user is None:
        return 0
    return open_questions(practice).filter(owner=user).count()


def questions_overdue(practice, user=None) -> int:
    """Open questions past the day they were due to be answered (H78)."""
    return open_questions(practice).filter(due_on__lt=timezone.localdate()).count()


def questions_for_clinician(practice, user=None) -> int:
    return practice_questions(practice).filter(state=QuestionState.CLINICIAN).count()


def audit_names(sender, *, practice, wanted: dict, **kwargs) -> dict:
    """Each question named by its reference on the audit trail's page, only of this practice."""
    ids = [int(i) for i in wanted.get("question", ()) if str(i).isdigit()]
    return {
        ("question", str(q.pk)): f"Question {q.reference}"
        for q in practice_questions(practice).filter(pk__in=ids).only("pk", "reference")
    }


# --- The dashboard's figures (reports/refresh.py): times, never a question's words or who asked. ---


def question_times(practice) -> list[tuple[datetime.datetime, datetime.datetime | None, bool]]:
    """Each question as (asked at, answered at, open now)."""
    return [
        (asked, answered, state in OPEN_STATES)
        for asked, answered, state in Question.objects.filter(practice=practice)
        .values_list("asked_at", "answered_at", "state")
        .order_by()
    ]
