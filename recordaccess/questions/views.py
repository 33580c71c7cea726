"""The question inbox as staff use it: the list, one question with its thread and what can be done about it, a
question keyed in from a call, and the practice's answer-within setting. Every page and action is audited."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import NotFound, show_on_form
from recordaccess.questions import forms, selectors, services
from recordaccess.questions.models import Topic


def inbox(request: HttpRequest, ods: str) -> HttpResponse:
    show = request.GET.get("show", "open")
    show = show if show in selectors.SHOWS else "open"
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    chosen = selectors.inbox(request.practice, user=request.user, show=show, topic=topic)
    page = Paginator(chosen, 25).get_page(request.GET.get("page"))
    record_request(
        request,
        "questions.view",
        object_type="questions",
        detail={
            "show": show,
            "topic": topic,
            "page": page.number,
            "patient_ids": [q.patient_id for q in page if q.patient_id],
        },
    )
    return render(
        request,
        "questions/inbox.jinja",
        {
            "page": page,
            "show": show,
            "topic": topic,
            "shows": selectors.SHOWS,
            "topics": Topic,
            "counts": selectors.inbox_counts(request.practice, user=request.user),
            "query": f"show={show}" + (f"&topic={topic}" if topic else ""),
            "today": timezone.localdate(),
        },
    )


def new_question(request: HttpRequest, ods: str) -> HttpResponse:
    form = forms.NewQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        question = services.ask_by_call(
            actor=Actor.from_request(request),
            practice=request.practice,
            text=d["text"],
            topic=d["topic"],
            name=d["name"],
            contact_by=d["contact_by"],
            mobile=d["mobile"],
            phone=d["phone"],
            email=d["email"],
            address=d["address"],
            postcode=d["postcode"],
        )
        messages.success(request, f"Question {question.reference} is in the inbox.")
        return redirect("staff:inbox_question", ods=ods, question_id=question.pk)
    return render(request, "questions/inbox_new.jinja", {"form": form}, status=400 if form.errors else 200)


def _forms(request: HttpRequest, question, bound=None) -> dict:
    staff = selectors.assignable_staff(request.practice)
    made = {
        "assign": forms.AssignForm(staff=staff),
        "topic": forms.TopicForm(initial={"topic": question.topic}),
        "note": forms.NoteForm(),
        "answer": forms.AnswerForm(
            initial={
                "number": services.answer_number(question),
                "channel": question.contact_by if question.contact_by in dict(forms.ANSWER_BY) else "",
            }
        ),
        "call": forms.CallForm(),
        "clinician": forms.ClinicianForm(),
    }
    if bound is not None:
        made[bound[0]] = bound[1]
    return made


def question(request: HttpRequest, ods: str, question_id: int, bound=None) -> HttpResponse:
    item = selectors.question_for_practice(request.practice, question_id)
    record_request(
        request, "question.view", object_type="question", object_id=item.pk, patient_id=item.patient_id
    )
    context = {
        "question": item,
        "entries": selectors.thread(item),
        "forms": _forms(request, item, bound),
        "failed": bound[1] if bound is not None else None,
        "today": timezone.localdate(),
    }
    return render(
        request, "questions/inbox_question.jinja", context, status=400 if bound is not None else 200
    )


ACTION_FORMS = {
    "assign": forms.AssignForm,
    "topic": forms.TopicForm,
    "note": forms.NoteForm,
    "answer": forms.AnswerForm,
    "call": forms.CallForm,
    "clinician": forms.ClinicianForm,
}
ACTIONS = {*ACTION_FORMS, "take", "waiting", "answered", "request", "decline"}


@require_POST
def question_action(request: HttpRequest, ods: str, question_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise NotFound("No such action")
    item = selectors.question_for_practice(request.practice, question_id)
    actor = Actor.from_request(request)
    back = redirect("staff:inbox_question", ods=ods, question_id=item.pk)
    form = None
    if action in ACTION_FORMS:
        kwargs = {"staff": selectors.assignable_staff(request.practice)} if action == "assign" else {}
        form = ACTION_FORMS[action](request.POST, **kwargs)
        if not form.is_valid():
            return question(request, ods, question_id, bound=(action, form))
    try:
        done = _act(action, actor, request, item, form.cleaned_data if form is not None else {})
    except services.QuestionError as error:
        if form is None:
            messages.error(request, str(error))
            return back
        show_on_form(form, error, field="text" if "text" in form.fields else None)
        return question(request, ods, question_id, bound=(action, form))
    if isinstance(done, HttpResponse):
        return done
    messages.success(request, done)
    return back


def _act(action: str, actor: Actor, request: HttpRequest, item, data: dict):
    if action == "take":
        services.assign(actor=actor, question=item, owner_id=request.user.pk)
        return "The question is yours."
    if action == "assign":
        services.assign(actor=actor, question=item, owner_id=data["owner"])
        return "Question assigned."
    if action == "topic":
        services.set_topic(actor=actor, question=item, topic=data["topic"])
        return "Topic saved."
    if action == "note":
        services.add_note(actor=actor, question=item, text=data["text"])
        return "Note added."
    if action == "answer":
        message, new = services.answer(
            actor=actor,
            question=item,
            channel=data["channel"],
            text=data["text"],
            number=data["number"],
            then=data["then"],
        )
        by = dict(forms.ANSWER_BY)[message.channel].lower()
        return f"Answer sent by {by}." if new else f"This answer was already sent by {by}: it is sent once."
    if action == "call":
        services.record_call(actor=actor, question=item, text=data["text"], then=data["then"])
        return "Call recorded."
    if action == "clinician":
        services.pass_to_clinician(actor=actor, question=item, reason=data["reason"])
        return "Passed to a clinician: reviewers see it on their overview."
    if action == "waiting":
        services.wait_for_patient(actor=actor, question=item)
        return "Waiting for the patient."
    if action == "answered":
        services.mark_answered(actor=actor, question=item)
        return "Marked answered."
    if action == "request":
        made = services.turn_into_request(actor=actor, question=item)
        messages.success(
            request,
            f"Request {made.reference_display} made for online access: match it and verify their identity.",
        )
        return redirect("staff:request", ods=request.practice.ods_code, request_id=made.pk)
    services.record_no_thank_you(actor=actor, question=item)
    return "Their “no thank you” is recorded: the decline code is on the coding worklist."


def settings(request: HttpRequest, ods: str) -> HttpResponse:
    policy = selectors.policy_for(request.practice)
    form = forms.PolicyForm(request.POST or None, initial={"answer_within_days": policy.answer_within_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                actor=Actor.from_request(request),
                practice=request.practice,
                answer_within_days=form.cleaned_data["answer_within_days"],
            )
            messages.success(request, "Saved: new questions are due this many days after they arrive.")
            return redirect("staff:inbox_settings", ods=ods)
        except services.QuestionError as error:
            show_on_form(form, error, field="answer_within_days")
    return render(
        request,
        "questions/inbox_settings.jinja",
        {"form": form, "policy": policy},
        status=400 if form.errors else 200,
    )
