"""Staff pages for the FAQ: the administrator's editor of the practice's answers, and the call guide reception
reads from on the phone (printable, and searched from the box in every staff page's header)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor
from recordaccess.core.errors import refusals_go_to
from recordaccess.questions import faq
from recordaccess.questions.faq_forms import AnswerForm


def answers(request: HttpRequest, ods: str) -> HttpResponse:
    items = faq.answers(request.practice, published_only=False)
    return render(
        request,
        "questions/faq_answers.jinja",
        {"items": [(item, faq.is_default(item)) for item in items]},
    )


def edit(request: HttpRequest, ods: str, answer_id: int) -> HttpResponse:
    item = faq.answer_for_practice(request.practice, answer_id)
    form = AnswerForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        faq.update_answer(
            actor=Actor.from_request(request),
            practice=request.practice,
            answer_id=item.pk,
            **{field: form.cleaned_data[field] for field in faq.EDITABLE},
        )
        messages.success(request, f"Answer saved: “{form.cleaned_data['question']}”.")
        return redirect("staff:faq_answers", ods=ods)
    item.refresh_from_db()  # the form changed the instance in memory; the page shows what is saved
    return render(
        request,
        "questions/faq_edit.jinja",
        {"item": item, "form": form, "default": faq.default_of(item), "is_default": faq.is_default(item)},
        status=400 if form.errors else 200,
    )


@require_POST
@refusals_go_to("staff:faq_answers")
def restore(request: HttpRequest, ods: str, answer_id: int) -> HttpResponse:
    item = faq.answer_for_practice(request.practice, answer_id)
    faq.restore_default(actor=Actor.from_request(request), practice=request.practice, answer_id=item.pk)
    messages.success(request, f"Default wording restored: “{item.question}”.")
    return redirect("staff:faq_edit", ods=ods, answer_id=item.pk)


def call_guide(request: HttpRequest, ods: str) -> HttpResponse:
    """Every answer with its script; with ?q= only the ones that match, best first."""
    practice = request.practice
    query = request.GET.get("q", "")[: faq.QUERY_LIMIT].strip()
    if query:
        items = [r.answer for r in faq.search(practice, query, published_only=False, staff=True)]
    else:
        items = faq.answers(practice, published_only=False)
    values = faq.values_for(practice)
    return render(
        request,
        "questions/faq_call_guide.jinja",
        {
            "query": query,
            "items": [
                {
                    "item": item,
                    "question": faq.fill(item.question, values),
                    "is_default": faq.is_default(item),
                    "script": faq.blocks(item.script, values),
                    "may_say": faq.blocks(item.may_say, values),
                    "may_not_say": faq.blocks(item.may_not_say, values),
                    "pass_to_clinician": faq.blocks(item.pass_to_clinician, values),
                }
                for item in items
            ],
            "values": values,
        },
    )
