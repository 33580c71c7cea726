"""Reading reviews, decisions, coding exports and the waiting-list policy: always within one practice."""

import datetime

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from recordaccess.core.scoping import one_for_practice
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.waiting_list import policy_for
from recordaccess.review.models import CodingExport, Decision, Outcome, Review


def reviews_in_progress(practice) -> QuerySet[Review]:
    """Requests someone has claimed, longest held first: shown under the waiting list."""
    return (
        Review.objects.filter(practice=practice)
        .exclude(reviewer="")
        .select_related("request")
        .order_by("claimed_at")[:50]
    )


def review_of(item) -> Review | None:
    return Review.objects.filter(request=item).first()


def decision_of(item) -> Decision | None:
    return Decision.objects.filter(request=item).prefetch_related("codes").first()


def decision_for_practice(practice, decision_id: int) -> Decision:
    return one_for_practice(Decision.objects.select_related("request"), practice, decision_id)


def redactions_waiting(practice) -> QuerySet[Decision]:
    """Decisions to give access with redactions whose redactions nobody has confirmed yet."""
    return Decision.objects.filter(
        practice=practice, outcome=Outcome.GRANTED_REDACTED, redacted_at=None
    ).select_related("request", "patient")


def recent_coding_exports(practice) -> QuerySet[CodingExport]:
    return CodingExport.objects.filter(practice=practice).order_by("-created_at")[:10]


def claimed_by(practice, user) -> int:
    """Requests this staff member holds for review (claims are by username, as the audit's actor names them)."""
    held = Review.objects.filter(practice=practice).exclude(reviewer="")  # the partial index review_claimed
    return held.filter(reviewer=user.get_username()).count()


def waiting(practice, user=None) -> int:
    """Requests on the waiting list (its small partial index)."""
    return AccessRequest.objects.filter(practice=practice, on_list=True).count()


def oldest_waiting_days(practice, user=None) -> int:
    """How many days the longest-waiting request on the list has waited (0 when the list is empty)."""
    oldest = (
        AccessRequest.objects.filter(practice=practice, on_list=True)
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return (timezone.now() - oldest).days if oldest else 0


def past_target(practice, user=None) -> int:
    """Requests on the list longer than the practice's target turnaround (a range of the waiting_since index)."""
    since = timezone.now() - datetime.timedelta(days=policy_for(practice).target_days)
    return AccessRequest.objects.filter(practice=practice, on_list=True, received_at__lt=since).count()


def granted_patient_ids(practices, day: datetime.date, *, levels=None) -> QuerySet:
    """The ids of patients granted access by a decision made by the end of `day` (local time), at one of `levels`
    (intake's `AccessLevel` values) when given: a subquery for counts, never shown."""
    until = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    decisions = Decision.objects.filter(
        practice__in=practices, outcome__in=[Outcome.GRANTED, Outcome.GRANTED_REDACTED], decided_at__lt=until
    )
    if levels is not None:
        decisions = decisions.filter(access_level__in=list(levels))
    return decisions.values("patient_id")


# --- The dashboard's figures (reports/refresh.py): days and outcomes, never who was decided about. ---


def left_waiting_list_days(practice) -> dict[int, datetime.date]:
    """Request id → the first day it was taken into review or decided, whichever came first."""
    claimed = dict(
        Review.objects.filter(practice=practice)
        .exclude(first_claimed_at=None)
        .annotate(day=TruncDate("first_claimed_at"))
        .values_list("request_id", "day")
    )
    for request_id, day in (
        Decision.objects.filter(practice=practice)
        .annotate(day=TruncDate("decided_at"))
        .values_list("request_id", "day")
    ):
        if request_id not in claimed or day < claimed[request_id]:
            claimed[request_id] = day
    return claimed


def decision_days(practice) -> list[tuple[str, datetime.date, datetime.date]]:
    """Each decision as (outcome, day the request was received, day it was decided)."""
    return list(
        Decision.objects.filter(practice=practice)
        .annotate(received=TruncDate("request__received_at"), decided=TruncDate("decided_at"))
        .values_list("outcome", "received", "decided")
        .order_by()
    )
