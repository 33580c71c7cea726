import shutil
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from recordaccess.health.models import ServiceProblem, WorkerHeartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means the database is down for this check
        return False


def last_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]


def _stale_after() -> timedelta:
    return timedelta(seconds=2 * settings.WORKER_HEARTBEAT_SECONDS + 10)


def worker_ok(last: datetime | None) -> bool:
    return last is not None and timezone.now() - last <= _stale_after()


def workers_alive() -> int:
    """How many workers ran their heartbeat lately: one fewer when a worker dies, though the others carry on."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - _stale_after()).count()


PROBLEM_FRESH_SECONDS = 300  # a problem nobody has met again for this long is no longer reported
DISK_LOW_MB = 100


def problems(*, recovered: bool = False) -> list[dict]:
    """The dependencies failing now (health/services.py), oldest first; with `recovered`, those that failed in
    the last few minutes and work again."""
    since = timezone.now() - timedelta(seconds=PROBLEM_FRESH_SECONDS)
    if recovered:
        found = ServiceProblem.objects.filter(resolved_at__gte=since)
    else:
        found = ServiceProblem.objects.filter(resolved_at__isnull=True, last_seen__gte=since)
    return [
        {
            "component": p.component,
            "detail": p.detail,
            "since": p.first_seen.isoformat(),
            **({"until": p.resolved_at.isoformat()} if recovered else {}),
        }
        for p in found.order_by("first_seen")
    ]


def queue_ok() -> bool:
    """Whether new tasks can be queued: Redis answers (RQ), or the database does (tasks in the database)."""
    if settings.TASKS_BACKEND != "rq":
        return database_ok()
    import redis

    try:
        url = settings.RQ_QUEUES["default"]["URL"]
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def disk_free_mb() -> int | None:
    """Free space where the service writes its files (letters, exports, uploads); None if it cannot be read."""
    folder = Path(settings.VAR_DIR) / "letters"
    try:
        return shutil.disk_usage(folder if folder.exists() else settings.VAR_DIR).free // 2**20
    except OSError:
        return None
