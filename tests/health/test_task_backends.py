"""A task really goes through each backend: the database queue with our worker, and Redis with an RQ worker."""

import os
import subprocess
import sys

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, task_backends

from recordaccess.health.models import WorkerHeartbeat
from recordaccess.health.tasks import heartbeat

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RQ_TASKS = {"default": {"BACKEND": "recordaccess.tasks.RQBackend", "QUEUES": ["default"]}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def redis_queue(settings):
    """A Redis database of the tests' own, emptied before and after."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = RQ_TASKS
    settings.TASKS_BACKEND = "rq"
    yield client
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_task_goes_through_the_database_queue_and_our_worker(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_BACKEND = "db"
    result = heartbeat.enqueue("test-worker", "db")
    assert result.status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.filter(worker="test-worker").exists()

    call_command("worker", "--batch")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert WorkerHeartbeat.objects.get(worker="test-worker").backend == "db"


@pytest.mark.django_db(transaction=True)
def test_the_worker_reports_its_own_heartbeat_through_the_queue(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_BACKEND = "db"
    call_command("worker", "--batch")
    assert WorkerHeartbeat.objects.filter(backend="db").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_goes_through_redis_and_an_rq_worker(redis_queue):
    from django_rq import get_queue
    from django_tasks_rq import Job
    from rq import SimpleWorker

    result = heartbeat.enqueue("rq-test-worker", "rq")
    assert type(task_backends["default"]).__name__ == "RQBackend"
    assert redis_queue.llen("rq:queue:default") == 1

    queue = get_queue("default")
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert WorkerHeartbeat.objects.get(worker="rq-test-worker").backend == "rq"


@pytest.mark.django_db(transaction=True)
def test_recordaccess_worker_runs_rq_jobs_in_its_own_process(redis_queue):
    """The production path: a separate `recordaccess worker` process, forking RQ's work horses."""
    if connection.vendor != "postgresql":
        pytest.skip("a second process cannot see the in-memory SQLite test database")
    result = heartbeat.enqueue("enqueued-by-the-test", "rq")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
    }
    done = subprocess.run(
        [sys.executable, "-m", "recordaccess", "worker", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert set(WorkerHeartbeat.objects.values_list("backend", flat=True)) == {"rq"}
    assert WorkerHeartbeat.objects.count() == 2  # the test's task and the worker's own heartbeat
