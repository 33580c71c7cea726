from django.db import transaction
from django.tasks import task
from django.utils import timezone

from recordaccess.health.models import WorkerHeartbeat


@task
def heartbeat(worker: str, backend: str) -> str:
    """Proves the whole path works: enqueued through the backend, picked up and run by a worker."""
    now = timezone.now()
    with transaction.atomic():
        WorkerHeartbeat.objects.update_or_create(
            worker=worker, defaults={"backend": backend, "last_seen": now}
        )
    return now.isoformat()
