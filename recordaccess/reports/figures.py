"""How far a practice (or a group of practices) has got: the figures of the dashboard, the roll-up, the CSVs
and the API, computed in one place from the summary rows (reports/models.py, rebuilt by reports/refresh.py).

A period's figures are a handful of aggregate queries, whether for one practice or 200: flows summed over the
period's days (GROUP BY practice), stocks read on its last day, and the histograms of durations summed so that
medians and 90th centiles are exact across days and practices. Only counts leave this module, never a patient.

Definitions (the dashboard says them too):
- The funnel is cumulative to the end of the period: patients on the register that day; registered patients sent
  a campaign message by each channel (each patient once per channel) and by any; of those, with one delivered (a
  letter counts once sent); registered patients who have told us their preference; requests for access received
  (not questions or a "no"); of those, identity verified; decided, by outcome.
- Preferences: registered patients by the preference they last told us, at the end of the period.
- Flows are within the period: messages (campaign and one-off) by channel and their status now, with Notify's
  estimated cost; places in conversation slots and drop-ins held in the period, and those booked and not
  cancelled; questions received; decisions made.
- The waiting list: requests verified and not yet taken into review or decided, at the end of each day; the oldest
  wait is the days since the longest-waiting of them was received.
- Request to decision: whole days from the day a request was received to the day it was decided, for decisions in
  the period (granted, after redaction, deferred, declined); the median and the 90th centile (nearest rank).
- Time to answer: whole hours from a question being asked to its answer, for answers in the period.
- The share held back: patients held back from online access as a share of the registered, from the latest
  exclusion snapshot by the end of the period.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from datetime import datetime as datetime_type

from django.db.models import Sum
from django.utils import timezone

from recordaccess.reports import refresh
from recordaccess.reports.models import DailyDuration, DailyFigures, DailyMessages, FiguresRefresh, Measure

CHANNELS = ("sms", "email", "letter")
OUTCOMES = ("granted", "granted_redacted", "deferred", "declined")
PREFERENCES = ("not_known", "wants_access", "no_access", "has_questions")
LONGEST_RANGE_DAYS = 366  # the rows keep a little more (reports/refresh.py LONGEST_DAYS)
DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class Period:
    """Days from start to end, both included, in the practice's local time (Europe/London)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Funnel:
    """Cumulative to the end of the period: how many got this far."""

    patients: int = 0  # registered at the end of the period
    told: dict[str, int] = field(default_factory=dict)  # by channel: patients sent a message that way
    told_any: int = 0
    delivered: int = 0  # patients with a message delivered (a letter sent counts)
    answered: int = 0  # patients who told us their preference
    requested: int = 0  # requests for access received
    verified: int = 0  # of those, identity verified
    reviewed: int = 0  # of those, decided
    outcomes: dict[str, int] = field(default_factory=dict)  # OUTCOMES -> count


@dataclass
class Day:
    """One day of the charts."""

    day: date
    waiting: int = 0  # on the waiting list at the end of the day
    oldest_wait_days: int | None = None
    requests: int = 0  # received that day
    decisions: int = 0  # decided that day
    messages: dict[str, int] = field(default_factory=dict)  # sent that day, by channel
    questions_open: int = 0  # at the end of the day (added by the dashboard)


@dataclass
class Figures:
    """One practice's figures over a period, or the totals of several practices (`practices` > 1)."""

    period: Period
    practices: int = 1
    funnel: Funnel = field(default_factory=Funnel)
    preferences: dict[str, int] = field(default_factory=dict)  # PREFERENCES -> patients, at the end
    waiting_now: int = 0  # on the waiting list at the end of the period
    oldest_wait_days: int | None = None
    decision_days_median: float | None = None  # request to decision, for decisions in the period
    decision_days_p90: float | None = None
    messages: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # channel -> status -> count, in the period
    cost_pence: float = 0.0  # estimated Notify cost of the period's messages
    places_offered: int = 0  # conversation places in the period
    places_used: int = 0
    questions_received: int = 0  # in the period
    questions_open: int = 0  # at the end of the period
    answer_hours_median: float | None = None  # questions answered in the period
    excluded_percent: float | None = None  # share of patients held back, the latest snapshot by the end
    updated_at: datetime_type | None = None  # when the figures were last refreshed
    series: list[Day] = field(default_factory=list)  # one a day of the period (empty in a roll-up's rows)
    # Added with the summary tables:
    requests_received: int = 0  # in the period
    verified_in_period: int = 0
    decided: dict[str, int] = field(default_factory=dict)  # OUTCOMES -> decisions made in the period
    decision_days: dict[int, int] = field(default_factory=dict)  # histogram: whole days -> decisions
    answer_hours: dict[int, int] = field(default_factory=dict)  # histogram: whole hours -> answers
    answer_hours_p90: float | None = None
    questions_answered: int = 0  # in the period
    cost_by_channel: dict[str, float] = field(default_factory=dict)  # pence
    fragments: int = 0  # text message fragments charged in the period
    excluded_registered: int | None = None  # the snapshot behind excluded_percent (summed in totals)
    excluded_held_back: int | None = None

    @property
    def decisions(self) -> int:
        return sum(self.decided.values())

    @property
    def messages_total(self) -> int:
        return sum(sum(statuses.values()) for statuses in self.messages.values())


def default_period(today: date | None = None, go_live: date | None = None) -> Period:
    """The last 12 weeks to today, or since go-live when that is more recent."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(days=1)
    if go_live and start < go_live <= today:
        start = go_live
    return Period(start, today)


# --- Medians and centiles from histograms ---


def median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram counts (the mean of the middle two when there is an even number)."""
    count = sum(histogram.values())
    if not count:
        return None
    lower, upper = _nth(histogram, (count + 1) // 2), _nth(histogram, count // 2 + 1)
    return (lower + upper) / 2


def centile(histogram: dict[int, int], percent: float) -> float | None:
    """The `percent`th centile by nearest rank: the smallest value that at least `percent`% are no more than."""
    count = sum(histogram.values())
    if not count:
        return None
    return float(_nth(histogram, max(math.ceil(percent / 100 * count), 1)))


def _nth(histogram: dict[int, int], rank: int) -> int:
    """The value of the rank-th smallest (from 1)."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("rank beyond the histogram")


# --- Reading the summary rows ---

_FLOWS = (
    "requests",
    "verified",
    *OUTCOMES,
    "places_offered",
    "places_used",
    "questions_received",
    "questions_answered",
)


def _ensure_refreshed(practices) -> dict[int, object]:
    """Practice id → its FiguresRefresh, rebuilding any practice never refreshed (its first view)."""
    ids = [practice.pk for practice in practices]
    found = {row.practice_id: row for row in FiguresRefresh.objects.filter(practice_id__in=ids)}
    missing = [practice for practice in practices if practice.pk not in found]
    for practice in missing:
        refresh.refresh_practice(practice)
    if missing:
        found.update(
            {
                row.practice_id: row
                for row in FiguresRefresh.objects.filter(practice_id__in=[p.pk for p in missing])
            }
        )
    return found


def _figures_of(practices, period: Period) -> dict[int, Figures]:
    """Each practice's figures (no series), in a handful of queries for them all."""
    practices = list(practices)
    refreshed = _ensure_refreshed(practices)
    ids = [practice.pk for practice in practices]
    result = {pk: Figures(period=period) for pk in ids}
    for pk, figures in result.items():
        figures.updated_at = refreshed[pk].refreshed_at if pk in refreshed else None
        figures.funnel.told = dict.fromkeys(CHANNELS, 0)
        figures.funnel.outcomes = dict.fromkeys(OUTCOMES, 0)
        figures.decided = dict.fromkeys(OUTCOMES, 0)
        figures.preferences = dict.fromkeys(PREFERENCES, 0)
        figures.cost_by_channel = dict.fromkeys(CHANNELS, 0.0)
        figures.messages = {}

    in_period = {"practice_id__in": ids, "day__gte": period.start, "day__lte": period.end}
    for row in (
        DailyFigures.objects.filter(**in_period)
        .values("practice_id")
        .annotate(**{name: Sum(name) for name in _FLOWS})
        .order_by()
    ):
        figures = result[row["practice_id"]]
        figures.requests_received = row["requests"] or 0
        figures.verified_in_period = row["verified"] or 0
        figures.decided = {outcome: row[outcome] or 0 for outcome in OUTCOMES}
        figures.places_offered = row["places_offered"] or 0
        figures.places_used = row["places_used"] or 0
        figures.questions_received = row["questions_received"] or 0
        figures.questions_answered = row["questions_answered"] or 0

    # Stocks: the row of the period's last day, or of the last day refreshed before it.
    by_day: dict[date, list[int]] = defaultdict(list)
    for pk, row in refreshed.items():
        if row.first_day <= period.end:
            by_day[min(period.end, row.last_day)].append(pk)
    for day, group in by_day.items():
        for row in DailyFigures.objects.filter(practice_id__in=group, day=day):
            _stocks(result[row.practice_id], row)

    for practice_id, channel, status, messages, fragments, cost in (
        DailyMessages.objects.filter(**in_period)
        .values_list("practice_id", "channel", "status")
        .annotate(Sum("messages"), Sum("fragments"), Sum("cost_pence"))
        .order_by()
    ):
        figures = result[practice_id]
        statuses = figures.messages.setdefault(channel, {})
        statuses[status] = statuses.get(status, 0) + messages
        figures.cost_by_channel[channel] = round(figures.cost_by_channel.get(channel, 0.0) + cost, 2)
        figures.cost_pence = round(figures.cost_pence + cost, 2)
        figures.fragments += fragments

    for practice_id, measure, amount, count in (
        DailyDuration.objects.filter(**in_period)
        .values_list("practice_id", "measure", "amount")
        .annotate(Sum("count"))
        .order_by()
    ):
        figures = result[practice_id]
        histogram = figures.decision_days if measure == Measure.DECISION_DAYS else figures.answer_hours
        histogram[amount] = histogram.get(amount, 0) + count

    for figures in result.values():
        _summarise(figures)
    return result


def _stocks(figures: Figures, row) -> None:
    funnel = figures.funnel
    funnel.patients = row.patients
    funnel.told = {channel: getattr(row, f"told_{channel}") for channel in CHANNELS}
    funnel.told_any = row.told_any
    funnel.delivered = row.delivered
    funnel.requested = row.requests_total
    funnel.verified = row.verified_total
    funnel.outcomes = {outcome: getattr(row, f"{outcome}_total") for outcome in OUTCOMES}
    funnel.reviewed = sum(funnel.outcomes.values())
    told_us = {preference: getattr(row, preference) for preference in PREFERENCES[1:]}
    funnel.answered = sum(told_us.values())
    figures.preferences = {"not_known": max(row.patients - funnel.answered, 0), **told_us}
    figures.waiting_now = row.waiting
    figures.oldest_wait_days = row.oldest_wait_days
    figures.questions_open = row.questions_open
    figures.excluded_registered = row.excluded_registered
    figures.excluded_held_back = row.excluded_held_back


def _summarise(figures: Figures) -> None:
    """The figures worked out from the counts: medians, centiles and the share held back."""
    figures.decision_days_median = median(figures.decision_days)
    figures.decision_days_p90 = centile(figures.decision_days, 90)
    figures.answer_hours_median = median(figures.answer_hours)
    figures.answer_hours_p90 = centile(figures.answer_hours, 90)
    if figures.excluded_registered:
        figures.excluded_percent = round(
            100 * (figures.excluded_held_back or 0) / figures.excluded_registered, 1
        )
    else:
        figures.excluded_percent = None


def _series(practice, period: Period, last_day: date | None) -> list[Day]:
    """One Day for each day of the period up to the last day refreshed (zeros before the practice's first)."""
    if last_day is None:
        return []
    end = min(period.end, last_day)
    rows = {
        row.day: row
        for row in DailyFigures.objects.filter(practice=practice, day__gte=period.start, day__lte=end).only(
            "day", "waiting", "oldest_wait_days", "requests", "questions_open", *OUTCOMES
        )
    }
    sent: dict[date, Counter] = defaultdict(Counter)
    for day, channel, n in (
        DailyMessages.objects.filter(practice=practice, day__gte=period.start, day__lte=end)
        .values_list("day", "channel")
        .annotate(Sum("messages"))
        .order_by()
    ):
        sent[day][channel] += n
    series = []
    day = period.start
    while day <= end:
        row = rows.get(day)
        series.append(
            Day(
                day=day,
                waiting=row.waiting if row else 0,
                oldest_wait_days=row.oldest_wait_days if row else None,
                requests=row.requests if row else 0,
                decisions=sum(getattr(row, outcome) for outcome in OUTCOMES) if row else 0,
                messages={channel: sent[day].get(channel, 0) for channel in CHANNELS},
                questions_open=row.questions_open if row else 0,
            )
        )
        day += datetime.timedelta(days=1)
    return series


def practice_figures(practice, period: Period) -> Figures:
    """The practice's figures over the period, with one Day a day for the charts. A practice never refreshed is
    refreshed first (its first view)."""
    figures = _figures_of([practice], period)[practice.pk]
    refreshed = FiguresRefresh.objects.filter(practice=practice).values_list("last_day", flat=True).first()
    figures.series = _series(practice, period, refreshed)
    return figures


def rollup(practices, period: Period) -> list[tuple[object, Figures]]:
    """Each practice with its figures (no series), in the order given: a handful of queries for them all."""
    practices = list(practices)
    figures = _figures_of(practices, period)
    return [(practice, figures[practice.pk]) for practice in practices]


def totals(rows: list[Figures], period: Period) -> Figures:
    """The figures of several practices together: counts summed, the oldest wait the oldest of all, medians and
    centiles from the summed histograms (exact), the share held back over all the practices' snapshots, and
    `updated_at` the oldest practice's refresh."""
    rows = [row[1] if isinstance(row, tuple) else row for row in rows]
    total = Figures(period=period, practices=len(rows))
    funnel = total.funnel
    funnel.told = dict.fromkeys(CHANNELS, 0)
    funnel.outcomes = dict.fromkeys(OUTCOMES, 0)
    total.preferences = dict.fromkeys(PREFERENCES, 0)
    total.decided = dict.fromkeys(OUTCOMES, 0)
    total.cost_by_channel = dict.fromkeys(CHANNELS, 0.0)
    decision_days: Counter = Counter()
    answer_hours: Counter = Counter()
    registered = held_back = 0
    snapshots = False
    for figures in rows:
        part = figures.funnel
        for name in ("patients", "told_any", "delivered", "answered", "requested", "verified", "reviewed"):
            setattr(funnel, name, getattr(funnel, name) + getattr(part, name))
        _add(funnel.told, part.told)
        _add(funnel.outcomes, part.outcomes)
        _add(total.preferences, figures.preferences)
        _add(total.decided, figures.decided)
        _add(total.cost_by_channel, figures.cost_by_channel)
        for channel, statuses in figures.messages.items():
            _add(total.messages.setdefault(channel, {}), statuses)
        for name in (
            "waiting_now",
            "places_offered",
            "places_used",
            "questions_received",
            "questions_open",
            "questions_answered",
            "requests_received",
            "verified_in_period",
            "fragments",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.cost_pence = round(total.cost_pence + figures.cost_pence, 2)
        if figures.oldest_wait_days is not None:
            total.oldest_wait_days = max(total.oldest_wait_days or 0, figures.oldest_wait_days)
        decision_days.update(figures.decision_days)
        answer_hours.update(figures.answer_hours)
        if figures.excluded_registered is not None:
            snapshots = True
            registered += figures.excluded_registered
            held_back += figures.excluded_held_back or 0
        if figures.updated_at and (total.updated_at is None or figures.updated_at < total.updated_at):
            total.updated_at = figures.updated_at
    total.decision_days = dict(decision_days)
    total.answer_hours = dict(answer_hours)
    if snapshots:
        total.excluded_registered, total.excluded_held_back = registered, held_back
    _summarise(total)
    return total


def _add(into: dict, more: dict) -> None:
    for key, value in more.items():
        into[key] = (
            round(into.get(key, 0) + value, 2) if isinstance(value, float) else into.get(key, 0) + value
        )
