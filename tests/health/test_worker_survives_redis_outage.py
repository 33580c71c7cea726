"""Hazard H130: after Redis goes away and comes back, `recordaccess worker` takes tasks again with no person.

A real worker process on a Redis server of the test's own (started and killed here, on a free port). RQ rides out
an outage while it waits for a job, but one that comes while a job runs ended its loop and the process with it
(the fault run: both workers gone, 104 acknowledgements never sent)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recordaccess.proving.faults import OwnRedis
from tests.health.rq_probe_tasks import touch, touch_slowly

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(condition, what: str, seconds: float = 15) -> float:
    """Wait for `condition`, failing after `seconds`; returns how long it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but there is no redis-server to start")
        pytest.skip("no redis-server to start")
    server = OwnRedis(free_port(), tmp_path / "redis")
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop(signal.SIGKILL)


def test_the_worker_takes_tasks_again_after_redis_returns(redis_server, settings, tmp_path):
    url = f"redis://127.0.0.1:{redis_server.port}/0"
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "recordaccess.tasks.RQBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "rq"
    env = {
        **os.environ,
        "TASKS_BACKEND": "rq",
        "REDIS_URL": url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",  # the probe tasks need no tables
        "WORKER_HEARTBEAT_SECONDS": "3600",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "recordaccess", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def runs(name: str, before: str) -> None:
            path = tmp_path / name
            touch.enqueue(str(path))
            until(path.exists, f"the worker to run a task {before} (log: {tmp_path / 'worker.log'})")

        runs("first", "at all")

        # 1. Redis stops (SIGTERM) while the worker waits for a job.
        redis_server.stop(signal.SIGTERM)
        time.sleep(1)
        redis_server.start()
        runs("after-idle-outage", "after an outage while it waited")

        # 2. Redis dies (SIGKILL) while a job runs: the case that ended the worker.
        slow = tmp_path / "slow"
        touch_slowly.enqueue(str(slow), 1.5)
        until(Path(f"{slow}.started").exists, "the slow task to start")
        redis_server.stop(signal.SIGKILL)
        until(slow.exists, "the slow task to finish its work")
        time.sleep(1)
        assert worker.poll() is None, "the worker exited when Redis went away mid-task"
        redis_server.start()
        runs("after-busy-outage", "after an outage while a task ran")

        # A person's stop still stops it: SIGTERM ends the worker cleanly.
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
