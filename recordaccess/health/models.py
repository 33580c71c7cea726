from django.db import models


class WorkerHeartbeat(models.Model):
    """When a worker last ran a task: written by the heartbeat task that each worker enqueues for itself."""

    worker = models.CharField(max_length=200, unique=True)
    backend = models.CharField(max_length=20)
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker} at {self.last_seen:%Y-%m-%d %H:%M:%S}"
