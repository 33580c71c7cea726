"""Staff pages for the register. Every page that shows a patient writes an audit entry."""

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.core.privatefiles import open_private
from recordaccess.core.uploads import accepts_upload
from recordaccess.patients import selectors, services
from recordaccess.patients.cohorts import CohortFilters, age_on, cohort_patients
from recordaccess.patients.flags import patient_needs_review
from recordaccess.patients.forms import (
    CohortForm,
    EndFlagForm,
    FlagForm,
    OnlineAccountsUploadForm,
    RegisterUploadForm,
)
from recordaccess.patients.models import COMMUNICATION_KINDS, RISK_KINDS, ImportStatus, RegisterImport
from recordaccess.patients.register import UnusableFile
from recordaccess.patients.tasks import import_uploaded_register
from recordaccess.practices.access import allows
from recordaccess.practices.roles import Role


def patient_search(request: HttpRequest, ods: str) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = None
    if query:
        results = selectors.search_patients(request.practice, query)
        record_request(
            request,
            "patient.search",
            object_type="patient",
            detail={"query": query, "results": len(results), "patient_ids": [p.pk for p in results]},
        )
    return render(request, "patients/search.jinja", {"query": query, "results": results})


def patient_detail(
    request: HttpRequest, ods: str, patient_id: int, flag_form=None, end_form=None, status=200
) -> HttpResponse:
    patient = selectors.patient_in_practice(request.practice, patient_id)
    record_request(
        request, "patient.view", object_type="patient", object_id=patient.pk, patient_id=patient.pk
    )
    flags = [f for f in patient.flags.all() if f.ended_on is None]
    may_edit = allows("staff:patient_flag_add", Role(request.membership.role))
    return render(
        request,
        "patients/detail.jinja",
        {
            "patient": patient,
            "needs_review": patient_needs_review(patient.pk),
            "risk_flags": [f for f in flags if f.kind in RISK_KINDS],
            "communication_flags": [f for f in flags if f.kind in COMMUNICATION_KINDS],
            "other_flags": [f for f in flags if f.kind not in RISK_KINDS | COMMUNICATION_KINDS],
            "ended_flags": [f for f in patient.flags.all() if f.ended_on is not None],
            "may_edit_flags": may_edit,
            "flag_form": (flag_form or FlagForm()) if may_edit else None,
            "end_form": end_form or EndFlagForm(),
        },
        status=status,
    )


def communication_worklist(request: HttpRequest, ods: str) -> HttpResponse:
    patients = list(selectors.needing_staff_to_communicate(request.practice))
    record_request(
        request,
        "patient.communication_worklist",
        object_type="patient",
        detail={"patient_ids": [p.pk for p in patients]},
    )
    return render(request, "patients/communication_worklist.jinja", {"patients": patients})


@require_POST
def communication_told(request: HttpRequest, ods: str, patient_id: int) -> HttpResponse:
    patient = services.record_told_in_own_format(
        actor=Actor.from_request(request), practice=request.practice, patient_id=patient_id
    )
    messages.success(
        request, f"Recorded: {patient.given_name} {patient.family_name} was told in their format."
    )
    return redirect("staff:communication_worklist", ods=ods)


@require_POST
def patient_flag_add(request: HttpRequest, ods: str, patient_id: int) -> HttpResponse:
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.add_flag(
                actor=Actor.from_request(request),
                practice=request.practice,
                patient_id=patient_id,
                code=form.cleaned_data["code"],
                recorded_on=form.cleaned_data["recorded_on"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Flag added. The waiting list and campaigns act on it now.")
            return redirect("staff:patient", ods=ods, patient_id=patient_id)
        except services.FlagError as error:
            show_on_form(form, error)
    return patient_detail(request, ods, patient_id, flag_form=form, status=400)


@require_POST
def patient_flag_end(request: HttpRequest, ods: str, patient_id: int, flag_id: int) -> HttpResponse:
    form = EndFlagForm(request.POST, auto_id=f"end-{flag_id}-%s")
    if form.is_valid():
        try:
            flag = services.end_flag(
                actor=Actor.from_request(request),
                practice=request.practice,
                flag_id=flag_id,
                reason=form.cleaned_data["end_reason"],
            )
            messages.success(request, f"Flag ended: {flag.term}.")
            return redirect("staff:patient", ods=ods, patient_id=patient_id)
        except services.FlagError as error:
            show_on_form(form, error)
    return patient_detail(request, ods, patient_id, end_form=form, status=400)


def cohort_list(request: HttpRequest, ods: str) -> HttpResponse:
    cohorts = [
        {
            "cohort": c,
            "count": cohort_patients(request.practice, CohortFilters.from_dict(c.filters)).count(),
            "description": CohortFilters.from_dict(c.filters).describe(),
        }
        for c in selectors.practice_cohorts(request.practice)
    ]
    return render(request, "patients/cohorts.jinja", {"cohorts": cohorts})


def cohort_edit(request: HttpRequest, ods: str, cohort_id: int | None = None) -> HttpResponse:
    cohort = None if cohort_id is None else selectors.cohort_for_practice(request.practice, cohort_id)
    form = CohortForm.for_cohort(cohort, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_cohort(
                actor=Actor.from_request(request),
                practice=request.practice,
                name=form.cleaned_data["name"],
                filters=form.filters(),
                cohort_id=cohort_id,
            )
            messages.success(request, f"Cohort “{form.cleaned_data['name']}” saved.")
            return redirect("staff:cohorts", ods=ods)
        except services.CohortError as error:
            show_on_form(form, error, field="name")
    filters = CohortFilters.from_dict(cohort.filters) if cohort and not form.is_bound else None
    if form.is_bound and form.is_valid():
        filters = form.filters()
    count = cohort_patients(request.practice, filters or CohortFilters()).count()
    return render(request, "patients/cohort_edit.jinja", {"form": form, "cohort": cohort, "count": count})


def cohort_members(request: HttpRequest, ods: str, cohort_id: int) -> HttpResponse:
    """Who is in a cohort today, 25 to a page, so a weekly check can name them; each page shown is audited with
    the patients on it."""
    cohort = selectors.cohort_for_practice(request.practice, cohort_id)
    today = timezone.localdate()
    members = cohort_patients(request.practice, CohortFilters.from_dict(cohort.filters), today=today)
    page = Paginator(
        members.order_by("family_name", "given_name", "pk").prefetch_related("flags"), 25
    ).get_page(request.GET.get("page"))
    record_request(
        request,
        "cohort.patients_view",
        object_type="cohort",
        object_id=cohort.pk,
        detail={"page": page.number, "patient_ids": [p.pk for p in page]},
    )
    rows = [
        {
            "patient": p,
            "age": age_on(p.date_of_birth, today) if p.date_of_birth else None,
            "flags": [f.term for f in p.flags.all() if f.ended_on is None],
        }
        for p in page
    ]
    return render(request, "patients/cohort_members.jinja", {"cohort": cohort, "page": page, "rows": rows})


def cohort_count(request: HttpRequest, ods: str) -> JsonResponse:
    """The live count as the filters change: numbers only, never who."""
    data = request.GET.copy()
    data["name"] = data.get("name") or "count"  # the count does not depend on the name
    form = CohortForm(data)
    if not form.is_valid():
        errors = {key: " ".join(value) for key, value in form.errors.items() if key != "name"}
        return JsonResponse({"errors": errors}, status=400)
    filters = form.filters()
    return JsonResponse(
        {"count": cohort_patients(request.practice, filters).count(), "description": filters.describe()}
    )


@refusals_go_to("staff:cohorts")
@require_POST
def cohort_delete(request: HttpRequest, ods: str, cohort_id: int) -> HttpResponse:
    services.delete_cohort(actor=Actor.from_request(request), practice=request.practice, cohort_id=cohort_id)
    messages.success(request, "Cohort deleted.")
    return redirect("staff:cohorts", ods=ods)


@accepts_upload("REGISTER_UPLOAD_MAX_BYTES")
def register_upload(request: HttpRequest, ods: str) -> HttpResponse:
    posted = request.method == "POST"
    form = RegisterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.start_register_import(
                actor=Actor.from_request(request),
                practice=request.practice,
                filename=upload.name,
                size=upload.size,
                full=form.cleaned_data["full"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except services.ImportBusy as error:
            show_on_form(form, error, field="file")
        else:
            path = services.reports_dir() / f"upload-{run.pk}.csv"
            with open_private(path, "wb") as stream:
                for chunk in upload.chunks():
                    stream.write(chunk)
            import_uploaded_register.enqueue(run.pk, str(path))
            return redirect("staff:register_import", ods=ods, import_id=run.pk)
    imports = selectors.recent_imports(request.practice)
    return render(request, "patients/register_upload.jinja", {"form": form, "imports": imports})


def _practice_import(request, import_id: int) -> RegisterImport:
    return selectors.import_for_practice(request.practice, import_id)


def register_import(request: HttpRequest, ods: str, import_id: int) -> HttpResponse:
    run = _practice_import(request, import_id)
    problems = services.report_problems(run, limit=200) if run.status != ImportStatus.RUNNING else []
    return render(request, "patients/register_import.jinja", {"run": run, "problems": problems})


def register_import_status(request: HttpRequest, ods: str, import_id: int) -> JsonResponse:
    run = _practice_import(request, import_id)
    return JsonResponse(
        {
            "status": run.status,
            "percent": run.percent_done,
            "rows": run.rows,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
            "warnings": run.warnings,
        }
    )


def register_import_report(request: HttpRequest, ods: str, import_id: int) -> FileResponse:
    run = _practice_import(request, import_id)
    if not run.report_path or not Path(run.report_path).exists():
        raise Http404("No report for this import")
    record_request(request, "register.report_download", object_type="register_import", object_id=run.pk)
    return FileResponse(
        open(run.report_path, "rb"), as_attachment=True, filename=f"import-{run.pk}-problems.csv"
    )


@accepts_upload("ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES")
def online_accounts(request: HttpRequest, ods: str) -> HttpResponse:
    """Upload the clinical system's export of patients registered for online services. The file is small (one
    row per account, two to four columns), so it is read while the page waits; its figures and problems follow."""
    posted = request.method == "POST"
    form = OnlineAccountsUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        path = services.reports_dir() / f"online-upload-{request.user.pk}-{timezone.now():%Y%m%d%H%M%S%f}.csv"
        with open_private(path, "wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        try:
            run, _ = services.run_online_accounts_import(
                actor=Actor.from_request(request), practice=request.practice, path=path, filename=upload.name
            )
        except UnusableFile as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Online accounts imported from {run.filename}.")
            return redirect("staff:online_accounts_import", ods=ods, online_import_id=run.pk)
        finally:
            path.unlink(missing_ok=True)
    imports = selectors.recent_online_imports(request.practice)
    return render(
        request,
        "patients/online_accounts.jinja",
        {"form": form, "imports": imports},
        status=400 if posted else 200,
    )


def online_accounts_import(request: HttpRequest, ods: str, online_import_id: int) -> HttpResponse:
    run = selectors.online_import_for_practice(request.practice, online_import_id)
    problems = services.report_problems(run, limit=200)
    if problems:  # the report names rows by NHS number: reading it is reading patients' data
        record_request(
            request, "online_accounts.problems_viewed", object_type="online_account_import", object_id=run.pk
        )
    return render(request, "patients/online_accounts_import.jinja", {"run": run, "problems": problems})
