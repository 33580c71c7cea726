"""The roll-up and a practice's figures laid out as rows: for the pages' tables and the CSV, from one list so
the two never differ. Counts and statuses only."""

import io

from recordaccess.core.spreadsheet import writer
from recordaccess.reports.figures import CHANNELS, OUTCOMES, PREFERENCES, Figures, Period

OUTCOME_WORDS = {
    "granted": "Granted",
    "granted_redacted": "Granted after redaction",
    "deferred": "Deferred",
    "declined": "Declined",
}
PREFERENCE_WORDS = {
    "not_known": "Not told us",
    "wants_access": "Want online access",
    "no_access": "Do not want online access",
    "has_questions": "Have questions",
}


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def pounds(pence) -> str:
    return "–" if pence is None else f"£{pence / 100:,.2f}"


def figure_rows(found: Figures) -> list[tuple[str, str, str]]:
    """(section, what, value) for every figure of one practice, or of several together."""
    funnel = found.funnel
    rows = [
        ("How far patients have got", "Registered patients", _number(funnel.patients)),
        *(
            ("How far patients have got", f"Told by {channel}", _number(funnel.told.get(channel, 0)))
            for channel in CHANNELS
        ),
        ("How far patients have got", "Told by any way", _number(funnel.told_any)),
        ("How far patients have got", "Message delivered", _number(funnel.delivered)),
        ("How far patients have got", "Told us their preference", _number(funnel.answered)),
        ("How far patients have got", "Requests for access", _number(funnel.requested)),
        ("How far patients have got", "Identity verified", _number(funnel.verified)),
        ("How far patients have got", "Decided", _number(funnel.reviewed)),
        *(
            ("Decisions", OUTCOME_WORDS[outcome], _number(funnel.outcomes.get(outcome, 0)))
            for outcome in OUTCOMES
        ),
        *(
            ("Preferences", PREFERENCE_WORDS[preference], _number(found.preferences.get(preference, 0)))
            for preference in PREFERENCES
        ),
        ("Waiting list", "Waiting at the end of the dates", _number(found.waiting_now)),
        ("Waiting list", "Longest wait (days)", _number(found.oldest_wait_days)),
        ("Waiting list", "Days from request to decision, median", _number(found.decision_days_median)),
        ("Waiting list", "Days from request to decision, 90th centile", _number(found.decision_days_p90)),
        *(
            (
                "Messages",
                f"{channel.upper() if channel == 'sms' else channel.capitalize()} messages",
                _number(sum(found.messages.get(channel, {}).values())),
            )
            for channel in CHANNELS
        ),
        ("Messages", "Estimated cost", pounds(found.cost_pence)),
        ("Conversations", "Places offered", _number(found.places_offered)),
        ("Conversations", "Places used", _number(found.places_used)),
        ("Questions", "Questions received", _number(found.questions_received)),
        ("Questions", "Open at the end of the dates", _number(found.questions_open)),
        ("Questions", "Hours to answer, median", _number(found.answer_hours_median)),
        ("Held back", "Share of patients held back (%)", _number(found.excluded_percent)),
    ]
    return rows


CSV_COLUMNS = (
    "practice_code",
    "practice_name",
    "period_start",
    "period_end",
    "registered_patients",
    "requests",
    "waiting_now",
    "longest_wait_days",
    "decided",
    "granted",
    "decision_days_median",
    "questions",
    "message_cost_pounds",
    "held_back_percent",
    "exclusion_warning",
    "dpia",
    "dpia_completed_on",
    "dpia_review_on",
    "dpia_signed_version",
    "plan",
)


def _cell(value):
    return "" if value is None else value


def rollup_csv(rows, total: Figures, period: Period) -> str:
    """The roll-up's table: one row a practice, then the organisation's totals."""
    stream = io.StringIO(newline="")
    out = writer(stream)
    out.writerow(CSV_COLUMNS)
    for row in rows:
        f, a = row.figures, row.assurance
        out.writerow(
            [
                row.practice.ods_code,
                row.practice.name,
                period.start.isoformat(),
                period.end.isoformat(),
                f.funnel.patients,
                f.funnel.requested,
                f.waiting_now,
                _cell(f.oldest_wait_days),
                f.funnel.reviewed,
                row.granted,
                _cell(f.decision_days_median),
                f.questions_received,
                f"{f.cost_pence / 100:.2f}",
                _cell(row.excluded_percent),
                "yes" if a.exclusion_warns else "no",
                a.dpia_status,
                _cell(a.dpia_completed_on and a.dpia_completed_on.isoformat()),
                _cell(a.dpia_review_on and a.dpia_review_on.isoformat()),
                _cell(a.dpia_signed_version),
                a.plan_status,
            ]
        )
    granted = total.funnel.outcomes.get("granted", 0) + total.funnel.outcomes.get("granted_redacted", 0)
    out.writerow(
        [
            "TOTAL",
            f"{len(rows)} practices",
            period.start.isoformat(),
            period.end.isoformat(),
            total.funnel.patients,
            total.funnel.requested,
            total.waiting_now,
            _cell(total.oldest_wait_days),
            total.funnel.reviewed,
            granted,
            _cell(total.decision_days_median),
            total.questions_received,
            f"{total.cost_pence / 100:.2f}",
            _cell(total.excluded_percent),
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    return stream.getvalue()
