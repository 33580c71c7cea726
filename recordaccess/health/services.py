"""Problems with the parts the service depends on, noted where they are met and reported by /healthz (H126).

`problem(component, detail)` is called by code that has just met a failing dependency (Notify refusing, losing
answers or slow; the disk full under the letters); `resolved(component)` by code that has just found it working
again (the problem stays listed as recovered for a while, so a failure that came and went between two looks at
/healthz is still seen). Each logs when the state changes, at WARNING and INFO, naming the part, so the logs say what failed and when
it came back. Both are cheap enough to call on every message: each process writes at most once every
NOTE_EVERY_SECONDS per part, and neither ever raises (a problem noted while the database itself is down is logged
only: /healthz reports the database directly).
"""

import logging
import threading
import time

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from recordaccess.health.models import ServiceProblem

logger = logging.getLogger("recordaccess.health")
NOTE_EVERY_SECONDS = 5.0
_lock = threading.Lock()
_last_written: dict[
    tuple[str, bool], float
] = {}  # (component, is a problem) -> when this process last wrote it
_known: dict[str, bool] = {}  # what this process last heard about each component


def _due(component: str, failing: bool) -> bool:
    now = time.monotonic()
    with _lock:
        changed = _known.get(component) != failing
        _known[component] = failing
        if not changed and now - _last_written.get((component, failing), -1e9) < NOTE_EVERY_SECONDS:
            return False
        _last_written[(component, failing)] = now
        return True


def problem(component: str, detail: str) -> None:
    """`component` is failing, as `detail` says (no patient's details in it: it is shown on /healthz)."""
    if not _due(component, True):
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            ongoing = ServiceProblem.objects.filter(component=component, resolved_at__isnull=True)
            if not ongoing.update(detail=detail[:300], last_seen=now):
                ServiceProblem.objects.filter(component=component).delete()  # an earlier one, since resolved
                ServiceProblem.objects.create(
                    component=component, detail=detail[:300], first_seen=now, last_seen=now
                )
                logger.warning("%s is failing: %s", component, detail)
    except IntegrityError:  # another process noted it at the same moment
        pass
    except DatabaseError as error:
        logger.warning(
            "%s is failing: %s (and the database did not take the note: %s)", component, detail, error
        )


def resolved(component: str) -> None:
    """`component` has just been found working."""
    if not _due(component, False):
        return
    try:
        ended = ServiceProblem.objects.filter(component=component, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
    except DatabaseError:
        return
    if ended:
        logger.info("%s is working again", component)


def forget_notes() -> None:
    """For tests: this process's throttle starts afresh."""
    with _lock:
        _last_written.clear()
        _known.clear()
