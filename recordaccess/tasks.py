"""Glue between Django 6's tasks framework and the RQ backend.

django-tasks-rq is written against the `django_tasks` backport, whose backend would make every `@task` a
backport Task. We keep Django's own Task class whichever backend is configured, so the same task objects run on
the database queue and on RQ (its Job class accepts both), and code can rely on `django.tasks.Task`.
"""

from django.tasks import Task
from django_tasks_rq import RQBackend as BackportRQBackend


class RQBackend(BackportRQBackend):
    task_class = Task
