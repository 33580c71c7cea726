"""Staff pages for requests: the list by state, one request (matching, identity, moving it on), keying in a
paper form or a phone or consultation request, and the blank paper form to print. Views only show; the rules
are in intake/services.py."""

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.core.pdf import FONT, render_pdf
from recordaccess.core.uploads import accepts_upload
from recordaccess.intake import children, selectors, services
from recordaccess.intake.forms import (
    DECLARATIONS,
    ConsultationRequestForm,
    IdentityForm,
    ProxyAuthorityForm,
    StaffRequestForm,
)
from recordaccess.intake.models import AccessLevel, AccessRequest, MatchStatus, ProxyBasis, RequestStatus
from recordaccess.patients.selectors import patient_in_practice


def _request(request: HttpRequest, request_id: int) -> AccessRequest:
    return selectors.request_for_practice(request.practice, request_id)


def request_list(request: HttpRequest, ods: str) -> HttpResponse:
    show = request.GET.get("show", "")
    counts, needs_matching, chosen = selectors.request_list(request.practice, show)
    page = Paginator(chosen, 25).get_page(request.GET.get("page"))
    record_request(
        request,
        "requests.view",
        object_type="access_request",
        detail={"page": page.number, "show": show, "ids": [r.pk for r in page]},
    )
    peak = max(counts.values(), default=0) or 1
    bars = [
        (status, label, counts.get(status, 0), 100 * counts.get(status, 0) // peak)
        for status, label in RequestStatus.choices
    ]
    return render(
        request,
        "intake/staff/requests.jinja",
        {"page": page, "show": show, "bars": bars, "needs_matching": needs_matching},
    )


def _proxy_form(data=None) -> ProxyAuthorityForm:
    """Its ids are its own: the identity form on the same page also asks for "evidence"."""
    return ProxyAuthorityForm(data, auto_id="proxy_%s")


def request_detail(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    return _detail_page(request, _request(request, request_id))


def _detail_page(
    request: HttpRequest, item: AccessRequest, identity_form=None, proxy_form=None
) -> HttpResponse:
    """One request; a form given here comes back with its errors for the error summary, and its values kept."""
    record_request(
        request, "request.view", object_type="access_request", object_id=item.pk, patient_id=item.patient_id
    )
    return render(
        request,
        "intake/staff/request.jinja",
        {
            "item": item,
            "candidates": services.candidates_for(item) if item.match_status != MatchStatus.MATCHED else [],
            "identity_form": identity_form or IdentityForm(),
            "proxy_form": proxy_form or _proxy_form(),
            "checks": item.identity_checks.all(),
            "next_states": services.manual_moves(item),
            "levels": dict(AccessLevel.choices),
            "bases": dict(ProxyBasis.choices),
            "child": children.for_request(item),
        },
    )


@refusals_go_to("staff:request", "request_id")
@require_POST
def request_match(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    try:
        patient_id = int(request.POST["patient"])
    except (KeyError, ValueError):
        messages.error(request, "Choose a patient.")
    else:
        services.confirm_match(actor=Actor.from_request(request), request=item, patient_id=patient_id)
        messages.success(request, "Matched to the patient.")
    return redirect("staff:request", ods=ods, request_id=item.pk)


@accepts_upload("IDENTITY_DOCUMENT_MAX_BYTES")
@refusals_go_to("staff:request", "request_id")
@require_POST
def request_identity(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    form = IdentityForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, item, identity_form=form)
    services.verify_identity(actor=Actor.from_request(request), request=item, **form.cleaned_data)
    messages.success(request, "Identity verification recorded.")
    return redirect("staff:request", ods=ods, request_id=item.pk)


@refusals_go_to("staff:request", "request_id")
@require_POST
def request_proxy(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    form = _proxy_form(request.POST)
    if not form.is_valid():
        return _detail_page(request, item, proxy_form=form)
    services.record_proxy_authority(actor=Actor.from_request(request), request=item, **form.cleaned_data)
    messages.success(request, f"Authority recorded: proxy access ends on {item.proxy_ends_on:%-d %B %Y}.")
    return redirect("staff:request", ods=ods, request_id=item.pk)


def identity_document(request: HttpRequest, ods: str, request_id: int, check_id: int) -> FileResponse:
    """A kept copy of identity documents: staff of the practice only, and every opening audited."""
    item = _request(request, request_id)
    check = selectors.identity_document(item, check_id)
    record_request(
        request,
        "identity.document_view",
        object_type="identity_check",
        object_id=check.pk,
        patient_id=item.patient_id,
    )
    return FileResponse(
        check.document.open("rb"), as_attachment=True, filename=Path(check.document.name).name
    )


@require_POST
def request_move(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = _request(request, request_id)
    try:
        services.move(actor=Actor.from_request(request), request=item, status=request.POST.get("status", ""))
        messages.success(request, f"Moved to “{item.get_status_display()}”.")
    except (services.RequestError, ValueError) as error:
        messages.error(request, str(error))
    return redirect("staff:request", ods=ods, request_id=item.pk)


def request_new(request: HttpRequest, ods: str) -> HttpResponse:
    form = StaffRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"route": request.GET.get("route", "paper")},
    )
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        saved, joined = services.submit(
            practice=request.practice,
            details=form.details(),
            route=form.cleaned_data["route"],
            actor=actor,
            entered_by=actor.name,
        )
        messages.success(
            request,
            f"{'That request was already here' if joined else 'Request saved'}: reference {saved.reference_display}.",
        )
        return redirect("staff:request", ods=ods, request_id=saved.pk)
    return render(request, "intake/staff/request_new.jinja", {"form": form})


def paper_form(request: HttpRequest, ods: str) -> HttpResponse:
    """The blank request form to print, with the practice's details, as a PDF."""
    html = render_to_string(
        "intake/pdf/paper_form.jinja",
        {
            "practice": request.practice,
            "levels": AccessLevel.choices,
            "bases": ProxyBasis.choices,
            "dpia": getattr(request.practice, "dpia", None),
            "declarations": [text for _, text in DECLARATIONS],
            "font": FONT,
            "large_print": False,
            "title": "Request for online access to your GP record",
        },
    )
    return HttpResponse(
        render_pdf(html),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="online-access-request-{ods}.pdf"'},
    )


@require_POST
def request_capture(request: HttpRequest, ods: str, patient_id: int) -> HttpResponse:
    """Recorded from the patient's page; a refusal comes back on a page of its own with the error summary and
    what was chosen, since the patient's page belongs to the register below."""
    patient = patient_in_practice(request.practice, patient_id)
    form = ConsultationRequestForm(request.POST, auto_id="capture-%s")
    if form.is_valid():
        try:
            saved = services.capture_in_consultation(
                actor=Actor.from_request(request), patient=patient, **form.cleaned_data
            )
            messages.success(request, f"Request recorded: reference {saved.reference_display}.")
            return redirect("staff:request", ods=ods, request_id=saved.pk)
        except services.RequestError as error:
            show_on_form(form, error)
    record_request(
        request, "patient.view", object_type="patient", object_id=patient.pk, patient_id=patient.pk
    )
    return render(
        request, "intake/staff/request_capture.jinja", {"patient": patient, "form": form}, status=400
    )
