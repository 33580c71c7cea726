"""Public pages for patients. They never reveal whether someone is registered at the practice."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.practices.selectors import practice_by_ods


def start(request: HttpRequest, ods: str) -> HttpResponse:
    practice = practice_by_ods(ods)
    if practice is None:
        raise Http404("No such practice")
    return render(
        request,
        "intake/start.jinja",
        {
            "practice": practice,
            "dpia": getattr(practice, "dpia", None),
            "resources": practice.resources.all(),
        },
    )
