"""Will the waiting list clear? From what the practice measures: requests joining the list each week, the time
a review takes, and the reviewer hours set aside each week.

A simple flow model, week by week: the list grows by the arrivals and shrinks by what the hours can review
(hours × 60 ÷ minutes per review). It clears when the hours outpace the arrivals. To meet the target turnaround
the practice must keep up with arrivals and also work the present list off within the target, so the hours
needed are (arrivals + list ÷ target weeks) × minutes ÷ 60.

Conversations and drop-ins are held by the same reviewers, so the hours booked for them in the coming weeks
come out of the reviewer hours before any review is counted, and are added to the hours the target needs.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Avg, Min, Q, Sum
from django.utils import timezone

from recordaccess.conversations.models import Kind, Slot
from recordaccess.intake.models import AccessRequest, IdentityCheck, RequestStatus, WaitingListPolicy
from recordaccess.review.models import Decision

MEASURE_WEEKS = 8
DEFAULT_MINUTES = 20  # until the practice has decisions of its own to measure
HORIZON_WEEKS = 26
CONVERSATION_WEEKS = 4  # booked time ahead, averaged over this many weeks


@dataclass(frozen=True)
class Plan:
    waiting: int
    arrivals_per_week: float
    minutes_per_review: float
    measured_minutes: bool
    reviewer_hours: float
    target_days: int
    today: datetime.date
    conversation_hours: float = 0.0  # a week, booked for conversations and drop-ins by the same reviewers

    @property
    def review_hours(self) -> float:
        """The reviewer hours left for reviews once conversations are held."""
        return max(0.0, self.reviewer_hours - self.conversation_hours)

    @property
    def reviews_per_week(self) -> float:
        return self.review_hours * 60 / self.minutes_per_review if self.minutes_per_review else 0.0

    @property
    def weeks_to_clear(self) -> float | None:
        """None when the list never clears at these hours."""
        spare = self.reviews_per_week - self.arrivals_per_week
        if self.waiting == 0:
            return 0.0
        return self.waiting / spare if spare > 0 else None

    @property
    def clear_date(self) -> datetime.date | None:
        weeks = self.weeks_to_clear
        return None if weeks is None else self.today + datetime.timedelta(days=math.ceil(weeks * 7))

    @property
    def hours_for_target(self) -> float:
        """Reviewer hours a week, conversations included, that meet the target."""
        target_weeks = max(self.target_days / 7, 1 / 7)
        needed = self.arrivals_per_week + self.waiting / target_weeks
        return needed * self.minutes_per_review / 60 + self.conversation_hours

    @property
    def extra_hours(self) -> float:
        return max(0.0, self.hours_for_target - self.reviewer_hours)

    def projection(self, hours: float, weeks: int = HORIZON_WEEKS) -> list[float]:
        """The expected list size at the start of each week from now, at `hours` of reviewing a week."""
        per_week = hours * 60 / self.minutes_per_review if self.minutes_per_review else 0.0
        sizes, size = [], float(self.waiting)
        for _ in range(weeks + 1):
            sizes.append(size)
            size = max(0.0, size + self.arrivals_per_week - per_week)
        return sizes


def measure(practice, now: datetime.datetime | None = None) -> Plan:
    now = now or timezone.now()
    since = now - datetime.timedelta(weeks=MEASURE_WEEKS)
    policy = WaitingListPolicy.objects.filter(practice=practice).first() or WaitingListPolicy()
    # A request joins the list when its identity is verified: count the first check of each.
    joined = (
        IdentityCheck.objects.filter(request__practice=practice)
        .values("request")
        .annotate(first=Min("verified_at"))
        .filter(first__gte=since)
        .count()
    )
    minutes = (
        Decision.objects.filter(practice=practice, decided_at__gte=now - datetime.timedelta(days=90))
        .exclude(minutes_spent=None)
        .exclude(minutes_spent=0)
        .aggregate(avg=Avg("minutes_spent"))["avg"]
    )
    # A conversation takes its host's time once booked; a drop-in for the whole session, however many come.
    booked = Slot.objects.filter(
        practice=practice,
        cancelled=False,
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(weeks=CONVERSATION_WEEKS),
    ).filter(Q(kind=Kind.DROP_IN) | Q(booked__gt=0))
    conversation_minutes = booked.aggregate(total=Sum("minutes"))["total"] or 0
    waiting = AccessRequest.objects.filter(
        practice=practice,
        status__in=[RequestStatus.IDENTITY_VERIFIED, RequestStatus.WAITING, RequestStatus.IN_REVIEW],
    ).count()
    return Plan(
        waiting=waiting,
        arrivals_per_week=joined / MEASURE_WEEKS,
        minutes_per_review=float(minutes or DEFAULT_MINUTES),
        measured_minutes=minutes is not None,
        reviewer_hours=policy.reviewer_hours,
        target_days=policy.target_days,
        today=timezone.localdate(now),
        conversation_hours=conversation_minutes / 60 / CONVERSATION_WEEKS,
    )


@dataclass(frozen=True)
class Chart:
    """Two lines on a 600 × 240 drawing: the list at today's hours, and at the hours that meet the target."""

    width: int
    height: int
    now_points: str
    target_points: str
    peak: int
    ticks: list[tuple[float, str]]
    weeks: int


def chart(plan: Plan, width: int = 600, height: int = 240) -> Chart:
    now_line = plan.projection(plan.review_hours)
    target_line = plan.projection(max(plan.hours_for_target, plan.reviewer_hours) - plan.conversation_hours)
    peak = max(1, math.ceil(max(now_line + target_line)))
    weeks = len(now_line) - 1

    def points(sizes: list[float]) -> str:
        return " ".join(
            f"{i * width / weeks:.1f},{height - size * height / peak:.1f}" for i, size in enumerate(sizes)
        )

    ticks = [
        (i * width / weeks, (plan.today + datetime.timedelta(weeks=i)).strftime("%-d %b"))
        for i in range(0, weeks + 1, 4)
    ]
    return Chart(width, height, points(now_line), points(target_line), peak, ticks, weeks)
