"""A Figures object as tables: the one source of the dashboard's charts, the tables screen readers read beside
them and the CSVs, so the three always agree. Counts and durations only."""

import io
from dataclasses import dataclass, field

from recordaccess.core import spreadsheet
from recordaccess.reports.figures import CHANNELS, OUTCOMES, Figures

CHANNEL_LABELS = {"sms": "Text message", "email": "Email", "letter": "Letter"}
OUTCOME_LABELS = {
    "granted": "Granted",
    "granted_redacted": "Granted after redaction",
    "deferred": "Deferred",
    "declined": "Declined",
}
PREFERENCE_LABELS = {
    "not_known": "Not told us",
    "wants_access": "Wants online access",
    "no_access": "Does not want online access",
    "has_questions": "Has questions",
}
STATUS_LABELS = {
    "queued": "Queued",
    "sending": "Handing to Notify",
    "sent": "Sent, no receipt yet",
    "delivered": "Delivered",
    "temporary-failure": "Not delivered yet",
    "permanent-failure": "Could not be delivered",
    "technical-failure": "Failed",
    "failed": "Failed",
}


SLUGS = (
    "funnel",
    "preferences",
    "decisions",
    "times",
    "waiting-list",
    "messages",
    "messages-by-day",
    "conversations",
    "questions",
    "held-back",
)


@dataclass
class Table:
    """One chart's figures: `slug` names its CSV (programme/<slug>.csv)."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def pounds(pence: float) -> str:
    return f"£{pence / 100:,.2f}"


def tables(figures: Figures) -> list[Table]:
    funnel = figures.funnel
    stages = Table(
        "funnel",
        "How far patients have got, by the end of the period",
        ["Stage", "Number"],
        [
            ["Patients on the register", funnel.patients],
            *[[f"Told by {CHANNEL_LABELS[c].lower()}", funnel.told.get(c, 0)] for c in CHANNELS],
            ["Told by any channel", funnel.told_any],
            ["A message delivered", funnel.delivered],
            ["Told us their preference", funnel.answered],
            ["Requests for access received", funnel.requested],
            ["Identity verified", funnel.verified],
            ["Reviewed and decided", funnel.reviewed],
            *[[OUTCOME_LABELS[o], funnel.outcomes.get(o, 0)] for o in OUTCOMES],
        ],
    )
    preferences = Table(
        "preferences",
        "Registered patients by their preference, at the end of the period",
        ["Preference", "Patients"],
        [[label, figures.preferences.get(key, 0)] for key, label in PREFERENCE_LABELS.items()],
    )
    decisions = Table(
        "decisions",
        "Requests and decisions in the period",
        ["Figure", "Number"],
        [
            ["Requests for access received", figures.requests_received],
            ["Identity verified", figures.verified_in_period],
            *[[f"Decided: {OUTCOME_LABELS[o].lower()}", figures.decided.get(o, 0)] for o in OUTCOMES],
        ],
    )
    times = Table(
        "times",
        "How long decisions and answers took, for those in the period",
        ["Measure", "Median", "90th centile", "How many"],
        [
            [
                "Days from request to decision",
                _number(figures.decision_days_median),
                _number(figures.decision_days_p90),
                figures.decisions,
            ],
            [
                "Hours from question to answer",
                _number(figures.answer_hours_median),
                _number(figures.answer_hours_p90),
                figures.questions_answered,
            ],
        ],
    )
    waiting = Table(
        "waiting-list",
        "The waiting list at the end of each day",
        ["Date", "Waiting", "Oldest wait (days)", "Requests received", "Decisions made"],
        [
            [day.day, day.waiting, _number(day.oldest_wait_days), day.requests, day.decisions]
            for day in figures.series
        ],
    )
    statuses = sorted({status for by_status in figures.messages.values() for status in by_status})
    messages = Table(
        "messages",
        "Messages sent in the period by channel and status now, with the estimated cost",
        ["Channel", *[STATUS_LABELS.get(status, status) for status in statuses], "All", "Estimated cost"],
        [
            [
                CHANNEL_LABELS[channel],
                *[figures.messages.get(channel, {}).get(status, 0) for status in statuses],
                sum(figures.messages.get(channel, {}).values()),
                pounds(figures.cost_by_channel.get(channel, 0.0)),
            ]
            for channel in CHANNELS
        ],
    )
    messages.rows.append(
        [
            "All channels",
            *[sum(figures.messages.get(c, {}).get(status, 0) for c in CHANNELS) for status in statuses],
            figures.messages_total,
            pounds(figures.cost_pence),
        ]
    )
    daily_messages = Table(
        "messages-by-day",
        "Messages sent each day, by channel",
        ["Date", "All", *[CHANNEL_LABELS[c] for c in CHANNELS]],
        [
            [day.day, sum(day.messages.values()), *[day.messages.get(c, 0) for c in CHANNELS]]
            for day in figures.series
        ],
    )
    conversations = Table(
        "conversations",
        "Conversation and drop-in places held in the period",
        ["Figure", "Places"],
        [["Offered", figures.places_offered], ["Booked and not cancelled", figures.places_used]],
    )
    questions = Table(
        "questions",
        "Patients' questions",
        ["Figure", "Number"],
        [
            ["Received in the period", figures.questions_received],
            ["Answered in the period", figures.questions_answered],
            ["Open at the end of the period", figures.questions_open],
        ],
    )
    excluded = Table(
        "held-back",
        "Patients held back from online access (the latest daily count by the end of the period)",
        ["Figure", "Number"],
        [
            ["Registered", _number(figures.excluded_registered)],
            ["Held back", _number(figures.excluded_held_back)],
            ["Share held back (%)", _number(figures.excluded_percent)],
        ],
    )
    return [
        stages,
        preferences,
        decisions,
        times,
        waiting,
        messages,
        daily_messages,
        conversations,
        questions,
        excluded,
    ]


def _number(value) -> str | int | float:
    """A figure, or blank when there is none (no decisions, no snapshot): never a misleading nought."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def table_csv(table: Table) -> str:
    stream = io.StringIO(newline="")
    out = spreadsheet.writer(stream)
    out.writerow(table.headers)
    out.writerows(table.rows)
    return stream.getvalue()


def all_csv(figures: Figures, *, name: str) -> str:
    """Every figure in one long table: what it is about, the row, the column and the value."""
    stream = io.StringIO(newline="")
    out = spreadsheet.writer(stream)
    out.writerow(["Practice", "From", "To", "Section", "Row", "Column", "Value"])
    for table in tables(figures):
        for row in table.rows:
            for header, value in zip(table.headers[1:], row[1:], strict=True):
                out.writerow(
                    [name, figures.period.start, figures.period.end, table.title, row[0], header, value]
                )
    return stream.getvalue()
