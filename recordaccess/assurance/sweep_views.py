"""The weekly safety sweep's pages: the sweeps, one week's worklist (it names patients: every view audited), a
patient's outcome, and the sign-off. Administrators and reviewers work the sweep; reception read it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.assurance import sweep as sweeps
from recordaccess.assurance.sweep_forms import OutcomeForm
from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.practices.access import allows
from recordaccess.practices.roles import Role


def _can_work(request) -> bool:
    return allows("staff:sweep_sign_off", Role(request.membership.role))


def sweep_list(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "assurance/sweep_list.jinja",
        {
            "sweeps": sweeps.sweeps(request.practice),
            "this_week": sweeps.week_of(timezone.localdate()),
            "overdue_after": sweeps.OVERDUE_AFTER_DAYS,
            "can_work": _can_work(request),
        },
    )


@require_POST
@refusals_go_to("staff:sweeps")
def sweep_generate(request: HttpRequest, ods: str) -> HttpResponse:
    """This week's sweep now, without waiting for the worker (the same idempotent generation)."""
    found, created = sweeps.generate(
        request.practice,
        week_starting=sweeps.week_of(timezone.localdate()),
        actor=Actor.from_request(request),
    )
    if not created:
        messages.info(request, "This week's sweep was already made.")
    return redirect("staff:sweep", ods=ods, sweep_id=found.pk)


def sweep_detail(request: HttpRequest, ods: str, sweep_id: int) -> HttpResponse:
    found = sweeps.sweep(request.practice, sweep_id)
    entries = list(sweeps.entries(found))
    record_request(
        request, "sweep.view", object_type="sweep", object_id=found.pk, detail={"patients": len(entries)}
    )
    return render(
        request,
        "assurance/sweep.jinja",
        {
            "sweep": found,
            "entries": entries,
            "waiting": sum(1 for e in entries if not e.outcome),
            "can_work": _can_work(request) and not found.is_signed,
        },
    )


def _entry_page(request, found, entry, form, status=200) -> HttpResponse:
    return render(
        request,
        "assurance/sweep_entry.jinja",
        {
            "sweep": found,
            "entry": entry,
            "form": form,
            "can_work": _can_work(request) and not found.is_signed,
        },
        status=status,
    )


@refusals_go_to("staff:sweep", "sweep_id")
def sweep_entry(request: HttpRequest, ods: str, sweep_id: int, entry_id: int) -> HttpResponse:
    found = sweeps.sweep(request.practice, sweep_id)
    entry = sweeps.entry(found, entry_id)
    if request.method != "POST":
        record_request(
            request,
            "sweep.entry_view",
            object_type="patient",
            object_id=entry.patient_id,
            detail={"sweep": found.pk},
        )
        initial = {"outcome": entry.outcome, "note": entry.note} if entry.outcome else None
        return _entry_page(request, found, entry, OutcomeForm(initial=initial))
    if not _can_work(request):
        return HttpResponse("Only administrators and reviewers record outcomes.", status=403)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            sweeps.record_outcome(
                actor=Actor.from_request(request),
                practice=request.practice,
                sweep_id=found.pk,
                entry_id=entry.pk,
                user=request.user,
                **form.cleaned_data,
            )
        except sweeps.SweepError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"Outcome recorded for {entry.patient}.")
            return redirect("staff:sweep", ods=ods, sweep_id=found.pk)
    return _entry_page(request, found, entry, form, status=400)


@require_POST
@refusals_go_to("staff:sweep", "sweep_id")
def sweep_sign_off(request: HttpRequest, ods: str, sweep_id: int) -> HttpResponse:
    signed = sweeps.sign_off(
        actor=Actor.from_request(request), practice=request.practice, sweep_id=sweep_id, user=request.user
    )
    messages.success(
        request, f"The sweep for the week starting {signed.week_starting:%d %B %Y} is signed off."
    )
    return redirect("staff:sweep", ods=ods, sweep_id=signed.pk)
