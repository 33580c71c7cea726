import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from recordaccess.audit.checkpoints import CheckpointFolderError, newest_checkpoint
from recordaccess.audit.services import CheckpointRefused, take_checkpoint

logger = logging.getLogger(__name__)


@task
def checkpoint_audit_trail() -> str:
    """Enqueued with every worker heartbeat; writes a checkpoint when the newest is older than
    AUDIT_CHECKPOINT_SECONDS, so one exists at least that often while any worker runs."""
    interval = timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS)
    try:
        newest = newest_checkpoint()
        if newest is not None and timezone.now() - newest.at < interval:
            return f"not due: {newest.file.name}"
        checkpoint = take_checkpoint()
    except (CheckpointRefused, CheckpointFolderError) as refusal:
        logger.error("Audit checkpoint refused, run `recordaccess audit_verify`: %s", refusal)
        return f"refused: {refusal}"
    return checkpoint.file.name


PERIODIC_TASKS = [checkpoint_audit_trail]  # enqueued with every heartbeat of the worker
