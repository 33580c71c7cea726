"""Glue between Django 6's tasks framework and the RQ backend.

django-tasks-rq is written against the `django_tasks` backport, whose backend would make every `@task` a
backport Task. We keep Django's own Task class whichever backend is configured, so the same task objects run on
the database queue and on RQ (its Job class accepts both), and code can rely on `django.tasks.Task`.
"""

import signal
import threading
from collections.abc import Callable

import redis
from django.db import close_old_connections
from django.tasks import Task
from django_rq.utils import reset_db_connections
from django_rq.workers import get_worker
from django_tasks_rq import RQBackend as BackportRQBackend
from rq.logutils import setup_loghandlers
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

    stop_requested_by_signal = False

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()

    def handle_warm_shutdown_request(self):
        # RQ records a stop only when one comes mid-job; run_rq_worker needs to know of every one.
        self.stop_requested_by_signal = True
        super().handle_warm_shutdown_request()


def run_rq_worker(queue: str, *, burst: bool, log: Callable[[str], None]) -> None:
    """Run RQ workers on `queue` until a person or the process supervisor stops them (hazard H130).

    RQ's work loop rides out Redis going away while it waits for a job, but not while a job runs: a
    ConnectionError from finishing the job ends the loop ("found an unhandled exception, quitting"), and then
    registering the worker's death fails too. Run through `rqworker` that meant exit status 1, and nothing took
    tasks until a person restarted the worker (the fault run: Redis down for a minute, 104 acknowledgements
    never sent). So when a worker ends without being asked to, wait for Redis to answer and start another.
    A --batch run, SIGTERM or SIGINT (warm, after the running task) and a second signal (cold) still end it."""
    setup_loghandlers("INFO")
    stopping = threading.Event()
    while True:
        worker = get_worker(queue, job_class="django_tasks_rq.Job", worker_class=Worker)
        reset_db_connections()
        try:
            worker.work(burst=burst, logging_level="INFO")
            ended = "its loop ended"
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            ended = f"Redis failed it: {error}"
        if burst or worker.stop_requested_by_signal:
            return
        log(f"RQ worker {worker.name} stopped unasked ({ended}); starting another once Redis answers.")
        if not _wait_for_redis(worker.connection, stopping):
            return


def _wait_for_redis(connection: redis.Redis, stopping: threading.Event) -> bool:
    """Ping until Redis answers (True) or SIGTERM/SIGINT comes (False); RQ's own handlers need Redis."""
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        pause = 0.5
        while not stopping.is_set():
            try:
                connection.ping()
                return True
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                stopping.wait(pause)
                pause = min(pause * 2, 5.0)
        return False
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
