"""reports' background work: keeping the dashboard's summary rows fresh."""

from django.tasks import task

from recordaccess.reports import refresh


@task
def refresh_figures() -> int:
    """With every heartbeat: rebuild the dashboard's figures of the practices whose figures are older than
    REPORTS_REFRESH_MINUTES, the oldest first, a few at a time. A repeat rebuilds the same rows (idempotent)."""
    return refresh.refresh_due()


PERIODIC_TASKS = [refresh_figures]  # enqueued with every heartbeat of the worker
