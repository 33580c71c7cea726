"""Public pages for patients. They never reveal whether someone is registered at the practice."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recordaccess.intake.forms import PreferenceForm
from recordaccess.outreach import replies
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


def reply(request: HttpRequest, code: str) -> HttpResponse:
    """A patient's own preference link from a message. It shows nothing about them: whoever holds the link
    sees only the question, and a wrong or expired code looks the same as any other page not found."""
    message = replies.message_for_code(code)
    if message is None:
        return render(request, "intake/reply_unknown.jinja", {"practice": None}, status=404)
    practice = message.campaign.practice
    form = PreferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        replies.reply_by_link(code, form.cleaned_data["preference"])
        return render(
            request,
            "intake/reply_done.jinja",
            {"practice": practice, "preference": form.cleaned_data["preference"]},
        )
    return render(request, "intake/reply.jinja", {"practice": practice, "form": form})
