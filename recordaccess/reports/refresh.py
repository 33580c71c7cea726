"""Rebuilding a practice's summary rows (reports/models.py) from the other apps' selectors.

Each selector reads one thing grouped by local day (or a row per request or question, which are few), so a
practice costs a dozen queries however many days it covers; the day-by-day stocks are cumulative sums made here.
A rebuild replaces every row of the practice in one transaction, so it is idempotent and a reader never sees half.
"""

import datetime
import heapq
import math
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from recordaccess.assurance import selectors as assurance_selectors
from recordaccess.conversations import selectors as conversations_selectors
from recordaccess.intake import selectors as intake_selectors
from recordaccess.outreach import selectors as outreach_selectors
from recordaccess.patients import selectors as patients_selectors
from recordaccess.practices import selectors as practices_selectors
from recordaccess.questions import selectors as questions_selectors
from recordaccess.reports.models import DailyDuration, DailyFigures, DailyMessages, FiguresRefresh, Measure
from recordaccess.review import selectors as review_selectors

LONGEST_DAYS = 400  # rows kept: a year and a bit, enough for any range the dashboard offers
OUTCOMES = ("granted", "granted_redacted", "deferred", "declined")
CHANNELS = ("sms", "email", "letter")
PREFERENCES = ("wants_access", "no_access", "has_questions")


def cost_pence(channel: str, status: str, messages: int, fragments: int) -> float:
    """Notify's charge, estimated: texts per fragment handed to the network, letters each once sent, email free."""
    if channel == "sms":
        return round(fragments * settings.SMS_PRICE_PENCE, 2)
    if channel == "letter" and status in outreach_selectors.CHARGED_STATUSES:
        return round(messages * settings.LETTER_PRICE_PENCE, 2)
    return 0.0


class _Days:
    """Counts by day offset from `first`: what happened before `first` is the stocks' opening balance; what is
    dated after `last` (a slot next week) is left out."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.size = (last - first).days + 1

    def flow(self) -> list[int]:
        return [0] * self.size

    def add(
        self, counts: list[int], day: datetime.date | None, n: int = 1, *, opening: list[int] | None = None
    ):
        if day is None or day > self.last:
            return
        if day < self.first:
            if opening is not None:
                opening[0] += n
            return
        counts[(day - self.first).days] += n

    def stock(self, events) -> list[int]:
        """The running total at the end of each day of (day, n) events."""
        counts, opening = self.flow(), [0]
        for day, n in events:
            self.add(counts, day, n, opening=opening)
        total, out = opening[0], []
        for n in counts:
            total += n
            out.append(total)
        return out


def _first_day(practice, today: datetime.date, *candidates) -> datetime.date:
    days = [day for group in candidates for day in group if day is not None and day <= today]
    first = min(days, default=today)
    return max(first, today - datetime.timedelta(days=LONGEST_DAYS - 1))


def refresh_practice(practice, today: datetime.date | None = None) -> None:
    """Rebuild the practice's rows for every day from its first activity (at most LONGEST_DAYS ago) to today."""
    today = today or timezone.localdate()
    local = timezone.localdate
    joined, left = patients_selectors.registrations_by_day(practice)
    preferences = patients_selectors.preferences_by_day(practice)
    told = outreach_selectors.patients_told(practice)
    messages = outreach_selectors.messages_by_day(practice)
    requests = intake_selectors.requests_for_access_days(practice)
    left_list = review_selectors.left_waiting_list_days(practice)
    decisions = review_selectors.decision_days(practice)
    places = conversations_selectors.places_by_day(practice)
    questions = questions_selectors.question_times(practice)
    snapshots = assurance_selectors.exclusion_counts(practice)
    first_patient = patients_selectors.first_patient_day(practice)

    first = _first_day(
        practice,
        today,
        [first_patient],
        [row[0] for row in messages],
        [row[1] for row in requests],
        [row[0] for row in places],
        [local(row[0]) for row in questions],
        [row[0] for row in snapshots],
    )
    days = _Days(first, today)
    rows = [DailyFigures(practice=practice, day=first + datetime.timedelta(days=i)) for i in range(days.size)]

    def put(name: str, values: list):
        for row, value in zip(rows, values, strict=True):
            setattr(row, name, value)

    # The register and what patients told us.
    registered = days.stock(joined)
    gone = days.stock(left)
    put("patients", [max(a - b, 0) for a, b in zip(registered, gone, strict=True)])
    for preference in PREFERENCES:
        put(preference, days.stock((day, n) for kind, day, n in preferences if kind == preference))

    # Who was told, by channel, and who had a message delivered: each patient once, on their first day.
    first_told: dict[int, datetime.date] = {}
    first_delivered: dict[int, datetime.date] = {}
    by_channel: dict[str, list] = defaultdict(list)
    for patient_id, channel, sent, delivered in told:
        by_channel[channel].append((sent, 1))
        if patient_id not in first_told or sent < first_told[patient_id]:
            first_told[patient_id] = sent
        if delivered and (patient_id not in first_delivered or delivered < first_delivered[patient_id]):
            first_delivered[patient_id] = delivered
    for channel in CHANNELS:
        put(f"told_{channel}", days.stock(by_channel[channel]))
    put("told_any", days.stock((day, 1) for day in first_told.values()))
    put("delivered", days.stock((day, 1) for day in first_delivered.values()))

    # Messages of each day, by channel and status, with their cost.
    sent = days.flow()
    message_rows = []
    for day, channel, status, n, fragments in messages:
        days.add(sent, day, n)
        if first <= day <= today:
            message_rows.append(
                DailyMessages(
                    practice=practice,
                    day=day,
                    channel=channel,
                    status=status,
                    messages=n,
                    fragments=fragments,
                    cost_pence=cost_pence(channel, status, n, fragments),
                )
            )
    put("messages", sent)

    # Requests, identity and the waiting list.
    received, verified = days.flow(), days.flow()
    for _, received_on, verified_on, _ in requests:
        days.add(received, received_on)
        days.add(verified, verified_on)
    put("requests", received)
    put("verified", verified)
    put("requests_total", days.stock((row[1], 1) for row in requests))
    put("verified_total", days.stock((row[2], 1) for row in requests if row[2]))
    _waiting_list(practice, days, rows, requests, left_list)

    # Decisions and how long they took.
    durations: dict[tuple[datetime.date, str], Counter] = defaultdict(Counter)
    for outcome in OUTCOMES:
        ours = [(decided, 1) for kind, _, decided in decisions if kind == outcome]
        flow = days.flow()
        for day, n in ours:
            days.add(flow, day, n)
        put(outcome, flow)
        put(f"{outcome}_total", days.stock(ours))
    for outcome, received_on, decided in decisions:
        if outcome in OUTCOMES and first <= decided <= today:
            durations[decided, Measure.DECISION_DAYS][max((decided - received_on).days, 0)] += 1

    # Conversation places.
    offered, used = days.flow(), days.flow()
    for day, places_offered, places_used in places:
        days.add(offered, day, places_offered)
        days.add(used, day, places_used)
    put("places_offered", offered)
    put("places_used", used)

    # Questions: received, answered (and how long it took), open at the end of each day.
    asked, answered, opened, closed = days.flow(), days.flow(), [], []
    for asked_at, answered_at, still_open in questions:
        asked_on = local(asked_at)
        days.add(asked, asked_on)
        opened.append((asked_on, 1))
        if still_open:
            continue
        closed_on = local(answered_at) if answered_at else asked_on
        closed.append((closed_on, 1))
        if answered_at:
            days.add(answered, closed_on)
            if first <= closed_on <= today:
                hours = max(math.floor((answered_at - asked_at).total_seconds() / 3600), 0)
                durations[closed_on, Measure.ANSWER_HOURS][hours] += 1
    put("questions_received", asked)
    put("questions_answered", answered)
    put("questions_open", [a - b for a, b in zip(days.stock(opened), days.stock(closed), strict=True)])

    # The share held back: the latest snapshot by each day.
    latest, at = None, 0
    for row in rows:
        while at < len(snapshots) and snapshots[at][0] <= row.day:
            latest, at = snapshots[at], at + 1
        if latest:
            row.excluded_registered, row.excluded_held_back = latest[1], latest[2]

    duration_rows = [
        DailyDuration(practice=practice, day=day, measure=measure, amount=amount, count=count)
        for (day, measure), counter in durations.items()
        for amount, count in counter.items()
    ]
    with transaction.atomic():
        _lock_practice_rows(practice)
        DailyFigures.objects.filter(practice=practice).delete()
        DailyMessages.objects.filter(practice=practice).delete()
        DailyDuration.objects.filter(practice=practice).delete()
        DailyFigures.objects.bulk_create(rows, batch_size=500)
        DailyMessages.objects.bulk_create(message_rows, batch_size=500)
        DailyDuration.objects.bulk_create(duration_rows, batch_size=500)
        FiguresRefresh.objects.filter(practice=practice).update(
            refreshed_at=timezone.now(), first_day=first, last_day=today
        )


def _lock_practice_rows(practice) -> None:
    """One rebuild of a practice's rows at a time, until the caller's transaction ends.

    Two workers can run refresh_figures at once (every worker's heartbeat enqueues it), and both pick the same
    stale practice: each deleted the rows, then the second's insert met the first's and failed on
    one_daily_figures_a_day. The practice's FiguresRefresh row is the lock: made if missing (get_or_create
    settles a race to make it), then locked, so the second rebuild waits and replaces the first's rows whole."""
    FiguresRefresh.objects.get_or_create(
        practice=practice,
        defaults={
            "refreshed_at": timezone.now(),
            "first_day": timezone.localdate(),
            "last_day": timezone.localdate(),
        },
    )
    FiguresRefresh.objects.select_for_update().get(practice=practice)


def _waiting_list(practice, days: _Days, rows: list[DailyFigures], requests, left_list) -> None:
    """The waiting list at the end of each day, and how long its oldest request had waited since it was received.

    A request is on the list from the day its identity was first verified until it was first taken into review or
    decided; one on the list now is on it still (a review handed back puts it back); one that left the list some
    other way left on the day it last changed."""
    spans = []
    gone_quietly = [
        pk for pk, _, verified_on, on_list in requests if verified_on and not on_list and pk not in left_list
    ]
    last_changed = intake_selectors.last_changed_days(practice, gone_quietly) if gone_quietly else {}
    for pk, received_on, verified_on, on_list in requests:
        if verified_on is None and not on_list:
            continue
        joined = verified_on or received_on
        until = None if on_list else left_list.get(pk) or last_changed.get(pk)
        if until is not None and until < joined:
            until = joined
        spans.append((joined, until, received_on))
    put_in, took_off = [], []
    for joined, until, _ in spans:
        put_in.append((joined, 1))
        if until is not None:
            took_off.append((until, 1))
    waiting = [a - b for a, b in zip(days.stock(put_in), days.stock(took_off), strict=True)]
    # The oldest: walk the days, adding requests as they join; the earliest received that has not left is on top.
    spans.sort(key=lambda span: span[0])
    heap: list[tuple[datetime.date, datetime.date | None]] = []
    at = 0
    for row, count in zip(rows, waiting, strict=True):
        row.waiting = count
        while at < len(spans) and spans[at][0] <= row.day:
            joined, until, received_on = spans[at]
            heapq.heappush(heap, (received_on, until or datetime.date.max))
            at += 1
        while heap and heap[0][1] <= row.day:
            heapq.heappop(heap)
        row.oldest_wait_days = (row.day - heap[0][0]).days if heap else None


def refresh_all(progress=None) -> int:
    """Rebuild every practice's rows; `progress(done, total)` after each. Returns how many."""
    practices = list(practices_selectors.all_practices())
    for done, practice in enumerate(practices, start=1):
        refresh_practice(practice)
        if progress:
            progress(done, len(practices))
    return len(practices)


def refresh_due(now: datetime.datetime | None = None, *, limit: int = 20) -> int:
    """Rebuild the practices whose rows are older than REPORTS_REFRESH_MINUTES (or missing, or from an earlier
    day), the oldest first, at most `limit` at a time so one heartbeat never runs long. Returns how many."""
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(minutes=settings.REPORTS_REFRESH_MINUTES)
    refreshed = dict(FiguresRefresh.objects.values_list("practice_id", "refreshed_at"))
    due = [
        practice
        for practice in practices_selectors.all_practices()
        if refreshed.get(practice.pk) is None or refreshed[practice.pk] < stale_before
    ]
    due.sort(
        key=lambda practice: (refreshed.get(practice.pk) is not None, refreshed.get(practice.pk), practice.pk)
    )
    for practice in due[:limit]:
        refresh_practice(practice, today=timezone.localdate(now))
    return len(due[:limit])
