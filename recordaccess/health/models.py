from django.db import models


class WorkerHeartbeat(models.Model):
    """When a worker last ran a task: written by the heartbeat task that each worker enqueues for itself."""

    worker = models.CharField(max_length=200, unique=True)
    backend = models.CharField(max_length=20)
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class ServiceProblem(models.Model):
    """A part the service depends on that is failing now (Notify refusing or losing answers, the disk full under
    the letters), noted by the code that met it and cleared by the code that next finds it working: what /healthz
    and the status page report beside the database, the worker and the task queue (health/services.py)."""

    component = models.CharField(max_length=40, unique=True)
    detail = models.CharField(max_length=300)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(
        null=True, blank=True
    )  # working again since; shown a while as recovered

    def __str__(self) -> str:
        return f"{self.component}: {self.detail}"
