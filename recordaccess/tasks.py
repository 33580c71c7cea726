"""Glue between Django 6's tasks framework and the RQ backend.

django-tasks-rq is written against the `django_tasks` backport, whose backend would make every `@task` a
backport Task. We keep Django's own Task class whichever backend is configured, so the same task objects run on
the database queue and on RQ (its Job class accepts both), and code can rely on `django.tasks.Task`.
"""

from django.db import close_old_connections
from django.tasks import Task
from django_tasks_rq import RQBackend as BackportRQBackend
from rq.worker import SimpleWorker


class RQBackend(BackportRQBackend):
    task_class = Task


class Worker(SimpleWorker):
    """Runs each task in the worker's own process, as the database backend's worker does.

    RQ's default worker forks a "work horse" for every job. Our worker process also runs a heartbeat thread, and
    a fork taken while that thread holds a lock (in the Redis or database client, or Python's import lock)
    leaves the horse waiting on it for ever: CI saw exactly that, a campaign stalled with both work horses
    parked on a futex. Without forking there is nothing to inherit. Database connections are checked before
    and after each task, as a request would be."""

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()
