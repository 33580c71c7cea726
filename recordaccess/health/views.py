from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from recordaccess.health import selectors


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers and a worker ran a task lately, 503 when
    not. With those working, a failing dependency the pages can do without for a while (the task queue, Notify,
    the disk under the letters) makes the status "degraded", still 200: a load balancer must not take away the
    pages that still take patients' requests, but monitoring sees what is wrong (H126)."""
    db_ok = selectors.database_ok()
    last = selectors.last_heartbeat() if db_ok else None
    worker_ok = selectors.worker_ok(last)
    healthy = db_ok and worker_ok
    queue_ok = selectors.queue_ok() if db_ok or settings.TASKS_BACKEND == "rq" else False
    found = selectors.problems() if db_ok else []
    free = selectors.disk_free_mb()
    disk_ok = free is None or free >= selectors.DISK_LOW_MB
    degraded = not queue_ok or bool(found) or not disk_ok
    body = {
        "status": "unhealthy" if not healthy else ("degraded" if degraded else "ok"),
        "time": timezone.now().isoformat(),
        "database": "ok" if db_ok else "down",
        "worker": {
            "status": "ok" if worker_ok else "down",
            "last_heartbeat": last.isoformat() if last else None,
            "alive": selectors.workers_alive() if db_ok else 0,
        },
        "queue": "ok" if queue_ok else "down",
        "disk": {"status": "ok" if disk_ok else "low", "free_mb": free},
        "problems": found,
        "recovered": selectors.problems(recovered=True) if db_ok else [],
    }
    return JsonResponse(body, status=200 if healthy else 503)


ROBOTS = "User-agent: *\nDisallow: /staff/\nDisallow: /r/\nDisallow: /api/\n"


def robots(request: HttpRequest) -> HttpResponse:
    """Search engines may list the practices' public pages, never staff pages, reply links or the API. The
    cheapest page through the whole stack (no database, no template): the load run's floor."""
    return HttpResponse(ROBOTS, content_type="text/plain")


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The same checks as /healthz, in plain words for people: the footer's "Service status" link. A failing part
    the pages can do without (the task queue, Notify, the disk) is said too: messages are delayed (H126)."""
    db_ok = selectors.database_ok()
    healthy = (
        db_ok
        and selectors.worker_ok(selectors.last_heartbeat())
        and selectors.queue_ok()
        and not selectors.problems()
    )
    return render(
        request,
        "health/status.jinja",
        {"practice": None, "healthy": healthy, "database": db_ok, "checked": timezone.now()},
    )
