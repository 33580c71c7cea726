"""assurance's background work: the weekly safety sweep (and the exclusion watch's daily snapshot)."""

from django.tasks import task
from django.utils import timezone

from recordaccess.assurance import exclusion, sweep


@task
def generate_weekly_sweeps() -> int:
    """With every heartbeat: this week's sweep for each practice that has none yet. Idempotent per practice per
    week (a constraint), so a heartbeat's repeats, a late worker or two workers make one sweep."""
    return sweep.generate_due(timezone.localdate())


@task
def take_exclusion_snapshots() -> int:
    """With every heartbeat: today's count of patients held back, for each practice that has none yet.
    Idempotent per practice per day (a constraint)."""
    return exclusion.take_due(timezone.localdate())


PERIODIC_TASKS = [
    generate_weekly_sweeps,
    take_exclusion_snapshots,
]  # enqueued with every heartbeat of the worker
