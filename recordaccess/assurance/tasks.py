"""assurance's background work: the weekly safety sweep (and the exclusion watch's daily snapshot)."""

from django.tasks import task
from django.utils import timezone

from recordaccess.assurance import sweep


@task
def generate_weekly_sweeps() -> int:
    """With every heartbeat: this week's sweep for each practice that has none yet. Idempotent per practice per
    week (a constraint), so a heartbeat's repeats, a late worker or two workers make one sweep."""
    return sweep.generate_due(timezone.localdate())


PERIODIC_TASKS = [generate_weekly_sweeps]  # enqueued with every heartbeat of the worker
