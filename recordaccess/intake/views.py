"""Public pages for patients. They never reveal whether someone is registered at the practice."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recordaccess.outreach.selectors import published_notice
from recordaccess.practices.selectors import practice_by_ods


def _practice(ods: str):
    practice = practice_by_ods(ods)
    if practice is None:
        raise Http404("No such practice")
    return practice


def notice(request: HttpRequest, ods: str) -> HttpResponse:
    """The practice's website notice, as approved; the start page until there is one."""
    practice = _practice(ods)
    notice_html = published_notice(practice, settings.PUBLIC_BASE_URL)
    if notice_html is None:
        return redirect("intake:start", ods=ods)
    return render(request, "intake/notice.jinja", {"practice": practice, "notice": notice_html})


def start(request: HttpRequest, ods: str) -> HttpResponse:
    practice = _practice(ods)
    return render(
        request,
        "intake/start.jinja",
        {
            "practice": practice,
            "dpia": getattr(practice, "dpia", None),
            "resources": practice.resources.all(),
        },
    )
