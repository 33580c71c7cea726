"""The questions' figures: how many came by each route and about each topic, how long answers take, how many are
open or overdue, and which FAQ answers patients found unhelpful (to improve the FAQ). Reads only, for one
practice and a range of days on which the questions were asked.

Only counts and durations leave this module, never a question's words, who asked or how to reach them (H86):
the figures page is open to observers and the counts go into the PPG pack.
"""

import datetime
import math
import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from recordaccess.questions.models import OPEN_STATES, FaqAnswer, Question, QuestionRoute, Topic

MOST_NOT_HELPFUL = 5
LONGEST_RANGE_DAYS = 2 * 366
DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its count and its length as a percentage of the longest bar."""

    key: str
    label: str
    count: int
    width: float


@dataclass(frozen=True)
class FaqFeedback:
    question: str
    topic: str
    helpful: int
    not_helpful: int
    asked_from: int  # questions sent from this answer's "ask us" form in the range


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    total: int = 0
    by_topic: list[Bar] = field(default_factory=list)
    by_route: list[Bar] = field(default_factory=list)
    answered: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    open: int = 0
    overdue: int = 0
    not_helpful: list[FaqFeedback] = field(default_factory=list)

    @property
    def most_asked(self) -> list[Bar]:
        """Topics by how often they were asked, most first, leaving out those never asked."""
        return sorted((bar for bar in self.by_topic if bar.count), key=lambda bar: (-bar.count, bar.label))


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(days=1), today


def _bars(counts: dict[str, int], choices) -> list[Bar]:
    """A bar for every choice, in the choices' order, so a topic never asked shows as nought."""
    longest = max(counts.values(), default=0)
    return [
        Bar(value, label, counts.get(value, 0), 100 * counts.get(value, 0) / longest if longest else 0)
        for value, label in choices
    ]


def nearest_rank(values: list[float], percent: float) -> float:
    """The `percent`th centile by nearest rank: the smallest value that at least `percent`% are no more than."""
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)), 1) - 1]


def _asked_between(practice, start: datetime.date, end: datetime.date):
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return Question.objects.filter(practice=practice, asked_at__gte=since, asked_at__lt=until)


def question_figures(
    practice, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> Figures:
    """The figures for questions asked from `start` to `end` (both included, in the practice's time zone).
    Open and overdue are as they stand today; time to answer is from asked to answered, for those answered."""
    today = today or timezone.localdate()
    asked = _asked_between(practice, start, end)
    figures = Figures(start=start, end=end)
    by_topic = dict(asked.values_list("topic").annotate(n=Count("pk")).order_by())
    by_route = dict(asked.values_list("route").annotate(n=Count("pk")).order_by())
    figures.total = sum(by_topic.values())
    figures.by_topic = _bars(by_topic, Topic.choices)
    figures.by_route = _bars(by_route, QuestionRoute.choices)
    hours = [
        (answered - asked_at).total_seconds() / 3600
        for asked_at, answered in asked.exclude(answered_at=None).values_list("asked_at", "answered_at")
        if answered >= asked_at
    ]
    figures.answered = len(hours)
    if hours:
        figures.median_hours = statistics.median(hours)
        figures.p90_hours = nearest_rank(hours, 90)
    still_open = asked.filter(state__in=OPEN_STATES)
    figures.open = still_open.count()
    figures.overdue = still_open.filter(due_on__lt=today).count()
    asked_from = dict(asked.exclude(faq=None).values_list("faq").annotate(n=Count("pk")).order_by())
    topics = dict(Topic.choices)
    figures.not_helpful = [
        FaqFeedback(
            answer.question,
            topics.get(answer.topic, answer.topic),
            answer.helpful,
            answer.not_helpful,
            asked_from.get(answer.pk, 0),
        )
        for answer in FaqAnswer.objects.filter(practice=practice, not_helpful__gt=0).order_by(
            "-not_helpful", "helpful", "position", "id"
        )[:MOST_NOT_HELPFUL]
    ]
    return figures


def duration(hours: float | None) -> str:
    """A time to answer in words a person reads at a glance: '40 minutes', '5 hours', '2 days 3 hours'."""
    if hours is None:
        return "none answered"
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    whole = round(hours)
    if whole < 24:
        return f"{whole} hour{'s' if whole != 1 else ''}"
    days, rest = divmod(whole, 24)
    text = f"{days} day{'s' if days != 1 else ''}"
    return text + (f" {rest} hour{'s' if rest != 1 else ''}" if rest else "")
