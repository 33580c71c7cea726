"""The exclusion watch's page: the share of registered patients held back, by reason, over time, with the warning
and its drafted action plan. Counts only: no patient is named, so the page is not a view of patient data."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.assurance import exclusion


def exclusion_watch(request: HttpRequest, ods: str) -> HttpResponse:
    snapshots = exclusion.history(request.practice)
    weekly = _weekly(snapshots)
    return render(
        request,
        "assurance/exclusion.jinja",
        {
            "newest": snapshots[-1] if snapshots else None,
            "bars": [
                {"label": f"{s.day:%d %b %Y}", "count": s.share, "width": s.share, "snapshot": s}
                for s in weekly
            ],
            "reasons": exclusion.REASONS,
            "warning": exclusion.warning(request.practice),
            "trigger": exclusion.TRIGGER_PER_CENT,
            "rise_points": exclusion.RISE_POINTS,
            "rise_days": exclusion.RISE_DAYS,
        },
    )


def _weekly(snapshots):
    """The newest snapshot of each week, up to 13 weeks: the chart's bars."""
    by_week = {}
    for snapshot in snapshots:
        by_week[snapshot.day.isocalendar()[:2]] = snapshot
    return list(by_week.values())[-13:]
