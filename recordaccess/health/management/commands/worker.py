"""`recordaccess worker`: run background tasks on the configured backend, with a heartbeat."""

import os
import socket
import threading
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import Task
from django.utils.module_loading import module_has_submodule

from recordaccess.health.tasks import heartbeat


def periodic_tasks() -> list[Task]:
    """What is enqueued with every heartbeat: housekeeping that must happen even when nobody is at a screen.

    Each app lists its own as PERIODIC_TASKS in its tasks.py, so the worker names none of them; they come in
    INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "tasks"):
            found.extend(getattr(import_module(f"{config.name}.tasks"), "PERIODIC_TASKS", ()))
    return found


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks-db by default, RQ when TASKS_BACKEND=rq)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default", help="Queue to take tasks from.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then stop.")

    def handle(self, *args, queue: str, batch: bool, **options):
        name = f"{socket.gethostname()}:{os.getpid()}"
        backend = settings.TASKS_BACKEND
        stop = threading.Event()
        heartbeat.enqueue(name, backend)  # before the loop starts, so even a --batch run reports in
        beat = threading.Thread(target=self._beat, args=(name, backend, stop), daemon=True)
        beat.start()
        self.stdout.write(f"Worker {name} taking tasks from '{queue}' through the {backend} backend.")
        try:
            if backend == "rq":
                from recordaccess.tasks import run_rq_worker

                run_rq_worker(queue, burst=batch, log=self.stderr.write)
            else:
                # No autoreload: it would re-run this command in a child with a second heartbeat.
                db_args = [
                    "db_worker",
                    "--queue-name",
                    queue,
                    "--no-startup-delay",
                    "--no-reload",
                    "--worker-id",
                    name[:64],
                ]
                call_command(*db_args, *(["--batch"] if batch else []))
        finally:
            stop.set()

    def _beat(self, name: str, backend: str, stop: threading.Event) -> None:
        from django.db import close_old_connections

        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                heartbeat.enqueue(name, backend)
                for periodic in periodic_tasks():
                    periodic.enqueue()
            except Exception as error:  # noqa: BLE001 - keep beating; /healthz reports the gap
                self.stderr.write(f"Could not enqueue the heartbeat: {error}")
            finally:
                close_old_connections()
