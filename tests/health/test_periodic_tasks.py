"""Each app registers its own housekeeping in its tasks.py; the worker's heartbeat enqueues all of it."""

import pytest
from django_tasks_db.models import DBTaskResult

from recordaccess.health.management.commands.worker import Command, periodic_tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HOUSEKEEPING = [
    "recordaccess.audit.tasks.checkpoint_audit_trail",
    "recordaccess.outreach.tasks.resume_stalled_campaigns",
    "recordaccess.outreach.direct.settle_direct_messages",
    "recordaccess.outreach.tasks.retry_letter_prints",
    "recordaccess.conversations.tasks.remind_bookings",
    "recordaccess.assurance.tasks.generate_weekly_sweeps",
    "recordaccess.assurance.tasks.take_exclusion_snapshots",
    "recordaccess.reports.tasks.refresh_figures",
]


class OneBeat:
    """A stop signal that lets the heartbeat loop go round once."""

    def __init__(self):
        self.waits = 0

    def wait(self, timeout: float) -> bool:
        self.waits += 1
        return self.waits > 1


def test_the_apps_register_the_housekeeping_the_worker_runs():
    assert [periodic.module_path for periodic in periodic_tasks()] == HOUSEKEEPING


@pytest.mark.django_db(transaction=True)
def test_each_heartbeat_enqueues_the_heartbeat_and_every_apps_housekeeping(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_BACKEND = "db"
    Command()._beat("test-worker", "db", OneBeat())
    enqueued = list(DBTaskResult.objects.order_by("enqueued_at", "id").values_list("task_path", flat=True))
    assert enqueued == ["recordaccess.health.tasks.heartbeat", *HOUSEKEEPING]
