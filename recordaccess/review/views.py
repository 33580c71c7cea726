"""The waiting list, review and decisions, the coding worklist and capacity: thin views over the services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import DomainError, refusals_go_to, show_on_form
from recordaccess.intake import children, priority
from recordaccess.intake import selectors as intake_selectors
from recordaccess.intake.models import AccessLevel, AccessRequest, RequestStatus
from recordaccess.intake.waiting_list import policy_for, save_policy
from recordaccess.patients.flags import patient_needs_review
from recordaccess.patients.selectors import current_flags
from recordaccess.practices.roles import Role
from recordaccess.review import capacity, checklist, coding, decisions, selectors, services
from recordaccess.review.forms import ChecklistForm, DecisionForm, PolicyForm

FILTERS = {
    "": "Everyone waiting",
    "past_target": "Past the target",
    "flagged": "Flagged for enhanced review",
    "need": "Clinical need",
}


def waiting_list(request: HttpRequest, ods: str) -> HttpResponse:
    show = request.GET.get("show", "") if request.GET.get("show", "") in FILTERS else ""
    now = timezone.now()
    requests, weights = services.waiting_list(request.practice, show, now)
    # A deferred join: page through the ids alone (the index has them, so even the last page is quick), then
    # read the 25 rows on screen.
    page = Paginator(requests.values_list("id", flat=True), 25).get_page(request.GET.get("page"))
    found = intake_selectors.requests_by_id(request.practice, list(page.object_list))
    shown = [found[pk] for pk in page.object_list if pk in found]
    first = (page.number - 1) * 25
    rows = [
        {
            "position": first + i + 1,
            "item": r,
            "reasons": priority.reasons(
                need=r.clinical_need,
                risk_flag=r.risk_flag,
                access_level=r.access_level,
                received_at=r.received_at,
                now=now,
                weights=weights,
            ),
            "past_target": priority.past_target(r.received_at, now, weights),
            "child": children.for_request(r, now),
        }
        for i, r in enumerate(shown)
    ]
    record_request(
        request, "waiting.view", object_type="waiting_list", detail={"page": page.number, "show": show}
    )
    return render(
        request,
        "review/waiting_list.jinja",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "filters": FILTERS,
            "weights": weights,
            "needs": priority.NEEDS,
            # Each row links to /requests/<id>/ and its review page: one reverse for the page, not two a row.
            "review_base": reverse("staff:requests", kwargs={"ods": ods}),
            "in_review": selectors.reviews_in_progress(request.practice),
        },
    )


@refusals_go_to("staff:request", "request_id")
@require_POST
def mark_need(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    services.mark_need(
        actor=Actor.from_request(request),
        request=item,
        need=request.POST.get("need", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, "Clinical need saved: the waiting list is in its new order.")
    return redirect("staff:request", ods=ods, request_id=item.pk)


def _request(request: HttpRequest, request_id: int) -> AccessRequest:
    return intake_selectors.request_for_practice(request.practice, request_id)


def _role(request: HttpRequest) -> str:
    return request.membership.role


def review(
    request: HttpRequest, ods: str, request_id: int, checklist_form=None, decision_form=None
) -> HttpResponse:
    item = _request(request, request_id)
    held = selectors.review_of(item)
    flagged = patient_needs_review(item.patient_id)
    decision = selectors.decision_of(item)
    record_request(
        request, "review.view", object_type="access_request", object_id=item.pk, patient_id=item.patient_id
    )
    mine = (
        held is not None and item.status == RequestStatus.IN_REVIEW and held.reviewer == request.user.username
    )
    return render(
        request,
        "review/review.jinja",
        {
            "item": item,
            "held": held,
            "mine": mine,
            "decision": decision,
            "flags": current_flags(item.patient_id) if item.patient_id else [],
            "flagged": flagged,
            "reviewer_only": checklist.needs_reviewer(item, flagged),
            "refused_role": checklist.may_decide(_role(request), item, flagged),
            "missing": checklist.problems(held, item),
            "not_ready": decisions.not_ready(item) if item.on_list else "",
            "checklist_form": checklist_form
            or (ChecklistForm(instance=held, role=_role(request)) if held else None),
            "decision_form": decision_form
            or DecisionForm(
                initial={"nhs_number": item.patient.nhs_number if item.patient else "", "tell_patient": "yes"}
            ),
            "levels": dict(AccessLevel.choices),
            "child": children.for_request(item),
        },
    )


def _act(request: HttpRequest, ods: str, item: AccessRequest, action, done: str) -> HttpResponse:
    action()
    messages.success(request, done)
    return redirect("staff:review", ods=ods, request_id=item.pk)


@refusals_go_to("staff:review", "request_id")
@require_POST
def claim(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    return _act(
        request,
        ods,
        item,
        lambda: decisions.claim(actor=Actor.from_request(request), request=item),
        "You are reviewing this request: it is off the waiting list until you decide or release it.",
    )


@refusals_go_to("staff:review", "request_id")
@require_POST
def release(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    return _act(
        request,
        ods,
        item,
        lambda: decisions.release(
            actor=Actor.from_request(request),
            request=item,
            administrator=_role(request) == Role.ADMINISTRATOR,
        ),
        "Released: the request is back on the waiting list in its place.",
    )


def _review_form(request: HttpRequest, item: AccessRequest, *, checklist: bool) -> tuple:
    """The review page's one form, bound as its two parts: the checklist (when it was on the form: a script may
    post a decision alone) and the decision."""
    held = selectors.review_of(item)
    checklist_form = ChecklistForm(request.POST, instance=held, role=_role(request)) if checklist else None
    return checklist_form, DecisionForm(request.POST)


def _checklist_saved(request: HttpRequest, item: AccessRequest, form: ChecklistForm | None) -> bool:
    """Save the checklist's answers, or put why not on its form. No checklist on the form: nothing to save."""
    if form is None:
        return True
    if not form.is_valid():
        return False
    try:
        decisions.save_checklist(
            actor=Actor.from_request(request), role=_role(request), request=item, answers=form.cleaned_data
        )
    except DomainError as refused:
        show_on_form(form, refused)
        return False
    return True


def _again(
    request: HttpRequest, ods: str, item: AccessRequest, checklist_form, decision_form
) -> HttpResponse:
    """The review page again, with everything as typed and every problem in the error summary."""
    response = review(request, ods, item.pk, checklist_form=checklist_form, decision_form=decision_form)
    response.status_code = 400
    return response


@require_POST
def save_checklist(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    """The review form's "Save checklist": the answers so far, with no decision asked for. The decision's
    boxes come back as typed, saved or not, so nothing typed is lost."""
    item = _request(request, request_id)
    checklist_form, _ = _review_form(request, item, checklist=True)
    typed = DecisionForm.as_typed(request.POST)
    if not _checklist_saved(request, item, checklist_form):
        return _again(request, ods, item, checklist_form, typed)
    messages.success(request, "Checklist saved.")
    return review(request, ods, item.pk, decision_form=typed)


@require_POST
def decide(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    """The review form's "Record the decision": the checklist as typed is saved first (the decision is judged
    against it), then the decision. A refusal shows the page again with every typed value kept."""
    item = _request(request, request_id)
    checklist_form, decision_form = _review_form(
        request, item, checklist=request.POST.get("checklist") == "1"
    )
    if _checklist_saved(request, item, checklist_form) and decision_form.is_valid():
        try:
            decisions.decide(
                actor=Actor.from_request(request),
                role=_role(request),
                request=item,
                given=decision_form.as_input(),
            )
            messages.success(request, "Decision recorded. Its codes are on the coding worklist.")
            return redirect("staff:review", ods=ods, request_id=item.pk)
        except DomainError as refused:
            show_on_form(decision_form, refused)
    return _again(request, ods, item, checklist_form, decision_form)


def coding_page(request: HttpRequest, ods: str) -> HttpResponse:
    entries = coding.worklist(request.practice).select_related("decision__request")
    redactions = selectors.redactions_waiting(request.practice)
    record_request(request, "coding.view", object_type="coding_worklist")
    return render(
        request,
        "review/coding.jinja",
        {
            "entries": entries[:500],
            "count": entries.count(),
            "redactions": redactions,
            "exports": selectors.recent_coding_exports(request.practice),
        },
    )


@require_POST
def coding_export(request: HttpRequest, ods: str) -> HttpResponse:
    batch, text = coding.export(actor=Actor.from_request(request), practice=request.practice)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"coding-{request.practice.ods_code}-{timezone.localdate():%Y%m%d}-{batch.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@refusals_go_to("staff:coding")
@require_POST
def coding_confirm(request: HttpRequest, ods: str, export_id: int) -> HttpResponse:
    coded = coding.confirm(actor=Actor.from_request(request), practice=request.practice, export_id=export_id)
    messages.success(
        request, f"{coded} code{'s' if coded != 1 else ''} marked as entered in the clinical system."
    )
    return redirect("staff:coding", ods=ods)


@refusals_go_to("staff:coding")
@require_POST
def redaction_done(request: HttpRequest, ods: str, decision_id: int) -> HttpResponse:
    decision = selectors.decision_for_practice(request.practice, decision_id)
    decisions.confirm_redaction(actor=Actor.from_request(request), decision=decision)
    messages.success(request, "Redactions confirmed: the patient is told now.")
    return redirect("staff:coding", ods=ods)


def capacity_page(request: HttpRequest, ods: str) -> HttpResponse:
    plan = capacity.measure(request.practice)
    return render(
        request,
        "review/capacity.jinja",
        {"plan": plan, "chart": capacity.chart(plan), "conversation_weeks": capacity.CONVERSATION_WEEKS},
    )


def policy_edit(request: HttpRequest, ods: str) -> HttpResponse:
    policy = policy_for(request.practice)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        save_policy(actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data)
        messages.success(request, "Saved: every request on the waiting list is in its new place.")
        return redirect("staff:waiting_list", ods=ods)
    return render(request, "review/policy.jinja", {"form": form}, status=400 if form.errors else 200)
