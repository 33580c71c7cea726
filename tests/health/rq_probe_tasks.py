"""Tasks for tests/health/test_worker_survives_redis_outage.py, run by a real `recordaccess worker` process.

They touch only files, so that worker needs no database tables to run them."""

import time
from pathlib import Path

from django.tasks import task


@task
def touch(path: str) -> None:
    Path(path).touch()


@task
def touch_slowly(path: str, seconds: float) -> None:
    Path(f"{path}.started").touch()
    time.sleep(seconds)
    Path(path).touch()
