"""The roll-up's CSV: one row a practice with its status, then the organisation's totals. Counts and statuses
only."""

import io

from recordaccess.core.spreadsheet import writer
from recordaccess.reports.figures import Figures, Period

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
