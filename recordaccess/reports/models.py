"""The dashboard's summary tables: counts only, one row per practice per local day (Europe/London), rebuilt by
`reports/refresh.py` from the other apps' selectors. No row names a patient, so every figure may go to observers.

A period's figures are then a handful of aggregate queries however many practices or days: flows summed over
the period's days, stocks read on its last day, and the durations' histograms summed so that medians and centiles
are exact across days and practices (reports/figures.py).
"""

from django.db import models

from recordaccess.practices.models import Practice


class DailyFigures(models.Model):
    """One practice's day: what happened that day (flows) and where things stood at its end (stocks)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Flows: that day.
    requests = models.PositiveIntegerField(default=0)  # requests for access received
    verified = models.PositiveIntegerField(default=0)  # requests whose identity was first verified
    granted = models.PositiveIntegerField(default=0)  # decisions, by outcome
    granted_redacted = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)  # every message, campaign and one-off
    places_offered = models.PositiveIntegerField(default=0)  # in slots and drop-ins held that day
    places_used = models.PositiveIntegerField(default=0)
    questions_received = models.PositiveIntegerField(default=0)
    questions_answered = models.PositiveIntegerField(default=0)
    # Stocks: at the end of the day.
    patients = models.PositiveIntegerField(default=0)  # on the register
    told_sms = models.PositiveIntegerField(default=0)  # registered patients sent a campaign message that way
    told_email = models.PositiveIntegerField(default=0)
    told_letter = models.PositiveIntegerField(default=0)
    told_any = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)  # of those, with one delivered (a letter once sent)
    wants_access = models.PositiveIntegerField(
        default=0
    )  # registered patients by the preference they told us
    no_access = models.PositiveIntegerField(default=0)
    has_questions = models.PositiveIntegerField(default=0)
    requests_total = models.PositiveIntegerField(default=0)  # the funnel, cumulative
    verified_total = models.PositiveIntegerField(default=0)
    granted_total = models.PositiveIntegerField(default=0)
    granted_redacted_total = models.PositiveIntegerField(default=0)
    deferred_total = models.PositiveIntegerField(default=0)
    declined_total = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)  # on the waiting list
    oldest_wait_days = models.PositiveIntegerField(null=True)  # since the oldest on it was received
    questions_open = models.PositiveIntegerField(default=0)
    excluded_registered = models.PositiveIntegerField(null=True)  # the latest exclusion snapshot by then
    excluded_held_back = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "day"], name="one_daily_figures_a_day")]

    def __str__(self) -> str:
        return f"{self.practice_id} on {self.day}"


class DailyMessages(models.Model):
    """Messages of one practice's day by channel and status now, with the text fragments and estimated cost."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    messages = models.PositiveIntegerField(default=0)
    fragments = models.PositiveIntegerField(default=0)
    cost_pence = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "day", "channel", "status"], name="one_daily_messages_row"
            )
        ]
        # Covering: a period's sums for 200 practices read the index alone, never the table (reports/figures.py).
        indexes = [
            models.Index(
                fields=["practice", "day", "channel", "status", "messages", "fragments", "cost_pence"],
                name="daily_messages_sums",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} on {self.day}: {self.messages} {self.channel} {self.status}"


class Measure(models.TextChoices):
    DECISION_DAYS = "decision_days", "Days from request to decision"
    ANSWER_HOURS = "answer_hours", "Hours from question to answer"


class DailyDuration(models.Model):
    """One bar of a histogram: how many requests decided (questions answered) that day took `amount` whole days
    (hours). Summed over days and practices, medians and centiles stay exact."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    measure = models.CharField(max_length=20, choices=Measure.choices)
    amount = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "day", "measure", "amount"], name="one_daily_duration_bar"
            )
        ]
        indexes = [
            models.Index(fields=["practice", "day", "measure", "amount", "count"], name="daily_duration_sums")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} on {self.day}: {self.count} at {self.amount} ({self.measure})"


class FiguresRefresh(models.Model):
    """When a practice's rows were last rebuilt, and the days they cover."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(db_index=True)
    first_day = models.DateField()
    last_day = models.DateField()

    def __str__(self) -> str:
        return f"{self.practice_id} at {self.refreshed_at}"
