from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from recordaccess.health.models import WorkerHeartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means the database is down for this check
        return False


def last_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]


def worker_ok(last: datetime | None) -> bool:
    stale_after = timedelta(seconds=2 * settings.WORKER_HEARTBEAT_SECONDS + 10)
    return last is not None and timezone.now() - last <= stale_after
