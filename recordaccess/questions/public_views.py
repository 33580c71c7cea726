"""The public questions page under /p/<ods>/questions/: the practice's answers, their search, each answer's own
page with "was this helpful" and "ask us". Nothing here says whether anyone is a patient: the page is the same
for everyone, and every question sent gets the same reply (H82)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recordaccess.audit.services import Actor
from recordaccess.conversations.selectors import upcoming_drop_ins
from recordaccess.core.network import client_address
from recordaccess.intake.security import limit_body, too_many
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.questions import faq
from recordaccess.questions.faq_forms import AskForm

ASKED = "questions:{}:asked"


def _practice(ods: str):
    practice = practice_by_ods(ods)
    if practice is None:
        raise Http404("No such practice")
    return practice


def _answer(practice, slug: str):
    answer = faq.published_answer(practice, slug)
    if answer is None:
        raise Http404("No such answer")
    return answer


def page(request: HttpRequest, ods: str) -> HttpResponse:
    """Every answer, or those matching the search (?q=, a plain GET form that needs no JavaScript)."""
    practice = _practice(ods)
    query = request.GET.get("q", "")[: faq.QUERY_LIMIT].strip()
    searched = "q" in request.GET
    values = faq.values_for(practice)
    return render(
        request,
        "questions/public_page.jinja",
        {
            "practice": practice,
            "query": query,
            "searched": searched,
            "results": faq.search(practice, query) if searched else [],
            "answers": [faq.shown(a, values) for a in faq.answers(practice)],
            "values": values,
            "resources": practice.resources.all(),
            "form": AskForm(),
            "drop_ins": upcoming_drop_ins(practice),
        },
    )


@limit_body
def answer(request: HttpRequest, ods: str, slug: str) -> HttpResponse:
    """One answer on its own page, with "was this helpful" and the "ask us" form at its foot."""
    practice = _practice(ods)
    item = _answer(practice, slug)
    return _ask(request, practice, item, "questions/public_answer.jinja")


@limit_body
def ask(request: HttpRequest, ods: str) -> HttpResponse:
    """ "Ask us" on its own, for a question no answer covers (the search found nothing, say)."""
    practice = _practice(ods)
    return _ask(request, practice, None, "questions/public_ask.jinja")


def _ask(request: HttpRequest, practice, item, template: str) -> HttpResponse:
    form = AskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not faq.may_ask(request, practice):
            return too_many(request, practice)
        question = faq.ask(
            actor=Actor(id=None, name="patient (questions page)", ip_address=client_address(request) or None),
            practice=practice,
            answer=item,
            name=form.cleaned_data["name"],
            contact_by=form.cleaned_data["contact_by"],
            mobile=form.cleaned_data["mobile"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["question"],
        )
        request.session[ASKED.format(practice.ods_code)] = {
            "reference": question.reference,
            "contact_by": question.contact_by,
        }
        return redirect("questions:asked", ods=practice.ods_code)
    values = faq.values_for(practice)
    return render(
        request,
        template,
        {
            "practice": practice,
            "item": item,
            "shown": faq.shown(item, values) if item else None,
            "values": values,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def asked(request: HttpRequest, ods: str) -> HttpResponse:
    """What happens next: the same words for everyone, patient or not."""
    practice = _practice(ods)
    sent = request.session.get(ASKED.format(practice.ods_code))
    if not sent:
        return redirect("questions:page", ods=practice.ods_code)
    return render(
        request,
        "questions/public_asked.jinja",
        {"practice": practice, "sent": sent, "values": faq.values_for(practice)},
    )


def helpful(request: HttpRequest, ods: str, slug: str) -> HttpResponse:
    """Count a "was this helpful" answer (a POST); anything else goes back to the answer."""
    practice = _practice(ods)
    item = _answer(practice, slug)
    said = request.POST.get("helpful") if request.method == "POST" else None
    if said in ("yes", "no"):
        voted = request.session.get("questions:voted", [])
        if item.pk not in voted:  # one vote an answer a visit
            faq.count_vote(request, practice, item, helpful=said == "yes")
            request.session["questions:voted"] = [*voted, item.pk][-50:]
        messages.success(request, "Thank you for telling us. It helps us improve our answers.")
    return redirect("questions:answer", ods=practice.ods_code, slug=item.slug)
