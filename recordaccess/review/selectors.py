"""Reading reviews, decisions, coding exports and the waiting-list policy: always within one practice."""

from django.db.models import QuerySet

from recordaccess.core.scoping import one_for_practice
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
