from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from recordaccess.health import selectors


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers and a worker ran a task lately."""
    db_ok = selectors.database_ok()
    last = selectors.last_heartbeat() if db_ok else None
    worker_ok = selectors.worker_ok(last)
    healthy = db_ok and worker_ok
    body = {
        "status": "ok" if healthy else "unhealthy",
        "time": timezone.now().isoformat(),
        "database": "ok" if db_ok else "down",
        "worker": {
            "status": "ok" if worker_ok else "down",
            "last_heartbeat": last.isoformat() if last else None,
        },
    }
    return JsonResponse(body, status=200 if healthy else 503)


ROBOTS = "User-agent: *\nDisallow: /staff/\nDisallow: /r/\nDisallow: /api/\n"


def robots(request: HttpRequest) -> HttpResponse:
    """Search engines may list the practices' public pages, never staff pages, reply links or the API. The
    cheapest page through the whole stack (no database, no template): the load run's floor."""
    return HttpResponse(ROBOTS, content_type="text/plain")


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The same checks as /healthz, in plain words for people: the footer's "Service status" link."""
    db_ok = selectors.database_ok()
    healthy = db_ok and selectors.worker_ok(selectors.last_heartbeat() if db_ok else None)
    return render(
        request,
        "health/status.jinja",
        {"practice": None, "healthy": healthy, "database": db_ok, "checked": timezone.now()},
    )
