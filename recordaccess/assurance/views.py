"""The DPIA's pages: the overview of the seven steps, a page per step, a page per risk, earlier versions and the
ICO consultation pack. Everyone with access reads them; administrators (the practice manager, the IG lead) change
them, on the practice's draft version."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from recordaccess.assurance import selectors, services, steps
from recordaccess.assurance.defaults import CONTROLS
from recordaccess.assurance.forms import ConsultationForm, MeasuresForm, RiskForm, SignOffForm, step_form
from recordaccess.assurance.risk import Likelihood, Severity, highest, matrix
from recordaccess.audit.services import Actor
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.core.pdf import FONT, render_pdf
from recordaccess.practices.access import allows
from recordaccess.practices.models import RiskLevel
from recordaccess.practices.roles import Role


def _can_edit(request) -> bool:
    return allows("staff:dpia_save", Role(request.membership.role))


def _controls(request) -> dict:
    """Each control with the link to its page, for those who may open it."""
    role = Role(request.membership.role)
    return {
        key: {"control": control, "link": allows(control.url_name, role)} for key, control in CONTROLS.items()
    }


def document(assessment) -> dict:
    """What the pages, a version's page and the pack show of one version."""
    risks = list(assessment.risks.all()) if assessment else []
    numbered = [(f"R{i}", risk) for i, risk in enumerate(risks, start=1)]
    residual = highest(risk.residual_level or risk.level for risk in risks)
    doc = {
        "assessment": assessment,
        "risks": numbered,
        "statuses": steps.statuses(assessment),
        "matrix": matrix([(r.likelihood, r.severity, label) for label, r in numbered]),
        "residual_matrix": matrix(
            [(r.residual_likelihood, r.residual_severity, label) for label, r in numbered if r.residual_level]
        ),
        "residual": residual,
        "ico_needed": residual == RiskLevel.HIGH,
        "ico_warning_text": services.ICO_WARNING,
        "likelihoods": list(Likelihood),
        "severities": list(reversed(Severity)),
    }
    doc["doc"] = doc  # the whole document, for the macro that shows every step
    return doc


def overview(request: HttpRequest, ods: str) -> HttpResponse:
    latest = selectors.latest(request.practice)
    return render(
        request,
        "assurance/overview.jinja",
        {
            **document(latest),
            "versions": selectors.versions(request.practice),
            "can_edit": _can_edit(request),
            "controls": _controls(request),
            "approach_changed": selectors.approach_changed_since_sign_off(request.practice),
            "review_due": selectors.dpia_review_due(request.practice),
            "dpia": selectors.practice_dpia(request.practice),
        },
    )


def _step_page(request, slug: str, forms: dict | None = None, status: int = 200) -> HttpResponse:
    step = steps.BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step")
    latest = selectors.latest(request.practice)
    editable = _can_edit(request) and (latest is None or not latest.is_signed)
    forms = forms or {}
    if editable:
        if step.slug in steps.TEXT_STEPS:
            forms.setdefault("form", step_form(slug, assessment=latest))
        elif step.slug == "consultation":
            forms.setdefault("form", ConsultationForm())
        elif step.slug == "risks":
            forms.setdefault("form", RiskForm())
        elif step.slug == "sign-off":
            forms.setdefault("form", SignOffForm(initial=_sign_off_initial(request.practice, latest)))
    index = steps.STEPS.index(step)
    return render(
        request,
        "assurance/step.jinja",
        {
            **document(latest),
            **forms,
            "step": step,
            "previous": steps.STEPS[index - 1] if index else None,
            "next": steps.STEPS[index + 1] if index + 1 < len(steps.STEPS) else None,
            "editable": editable,
            "can_edit": _can_edit(request),
            "controls": _controls(request),
            "unfinished": steps.unfinished(latest),
        },
        status=status,
    )


def _sign_off_initial(practice, latest) -> dict:
    """A new version's sign-off starts from the last one's names and reference."""
    signed = selectors.latest_signed(practice)
    if signed is None:
        return {}
    return {name: getattr(signed, name) for name in services.SIGN_OFF_FIELDS if name != "review_on"}


def step(request: HttpRequest, ods: str, part: str) -> HttpResponse:
    return _step_page(request, part)


@require_POST
@refusals_go_to("staff:dpia_overview")
def step_save(request: HttpRequest, ods: str, part: str) -> HttpResponse:
    """Steps 1, 2 and 4, and the sign-off (step 7)."""
    actor = Actor.from_request(request)
    if part in steps.TEXT_STEPS:
        form = step_form(part, request.POST)
        if form.is_valid():
            services.save_step(actor=actor, practice=request.practice, slug=part, **form.cleaned_data)
            messages.success(request, f"Step {steps.BY_SLUG[part].number} saved.")
            return redirect("staff:dpia_overview", ods=ods)
        return _step_page(request, part, {"form": form}, status=400)
    if part != "sign-off":
        raise Http404("No such step")
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            signed = services.sign_off(
                actor=actor, practice=request.practice, signer=request.user, **form.cleaned_data
            )
        except services.DpiaError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"Version {signed.number} of the DPIA is signed off.")
            if signed.ico_consultation_required:
                messages.warning(request, services.ICO_WARNING)
            return redirect("staff:dpia_overview", ods=ods)
    return _step_page(request, part, {"form": form}, status=400)


@require_POST
@refusals_go_to("staff:dpia_overview")
def consultation_add(request: HttpRequest, ods: str) -> HttpResponse:
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            services.add_consultation(
                actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data
            )
        except services.DpiaError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Consultation added.")
            return redirect("staff:dpia_step", ods=ods, part="consultation")
    return _step_page(request, "consultation", {"form": form}, status=400)


@require_POST
@refusals_go_to("staff:dpia_overview")
def consultation_remove(request: HttpRequest, ods: str, consultation_id: int) -> HttpResponse:
    services.remove_consultation(
        actor=Actor.from_request(request), practice=request.practice, consultation_id=consultation_id
    )
    messages.success(request, "Consultation removed.")
    return redirect("staff:dpia_step", ods=ods, part="consultation")


@require_POST
@refusals_go_to("staff:dpia_overview")
def risk_add(request: HttpRequest, ods: str) -> HttpResponse:
    form = RiskForm(request.POST)
    if form.is_valid():
        try:
            risk = services.add_risk(
                actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data
            )
        except services.DpiaError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"Risk added: {risk.title}. Its level is {risk.level.label.lower()}.")
            return redirect("staff:dpia_step", ods=ods, part="risks")
    return _step_page(request, "risks", {"form": form}, status=400)


@require_POST
@refusals_go_to("staff:dpia_overview")
def defaults_add(request: HttpRequest, ods: str) -> HttpResponse:
    added = services.add_default_register(actor=Actor.from_request(request), practice=request.practice)
    if added:
        messages.success(
            request, f"{len(added)} risks of the default register added. Judge each one for this practice."
        )
    else:
        messages.info(request, "The register already has every default risk.")
    return redirect("staff:dpia_step", ods=ods, part="risks")


def _risk_page(request, risk_id: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    risk = selectors.risk(request.practice, risk_id)
    latest = selectors.latest(request.practice)
    editable = (
        _can_edit(request) and latest is not None and latest.pk == risk.assessment_id and not latest.is_signed
    )
    forms = forms or {}
    if editable:
        forms.setdefault(
            "risk_form", RiskForm(initial={name: getattr(risk, name) for name in services.RISK_FIELDS})
        )
        forms.setdefault("measures_form", MeasuresForm.for_risk(risk))
    return render(
        request,
        "assurance/risk.jinja",
        {"risk": risk, "editable": editable, "controls": _controls(request), **forms},
        status=status,
    )


def risk_detail(request: HttpRequest, ods: str, risk_id: int) -> HttpResponse:
    return _risk_page(request, risk_id)


def _save_on_risk(request, risk_id: int, form, save, *, form_key: str, part: str, done) -> HttpResponse:
    """A form about one risk, saved by `save`: its refusals about a field beside that field, the rest through
    `refusals_go_to`; when saved, `done(risk)` says what changed and the step's page follows."""
    if form.is_valid():
        try:
            risk = save(
                actor=Actor.from_request(request),
                practice=request.practice,
                risk_id=risk_id,
                **form.cleaned_data,
            )
        except services.DpiaError as error:
            if error.errors and error.errors[0][0] is None:
                raise
            show_on_form(form, error)
        else:
            messages.success(request, done(risk))
            return redirect("staff:dpia_step", ods=request.practice.ods_code, part=part)
    return _risk_page(request, risk_id, {form_key: form}, status=400)


@require_POST
@refusals_go_to("staff:dpia_risk", "risk_id")
def risk_save(request: HttpRequest, ods: str, risk_id: int) -> HttpResponse:
    return _save_on_risk(
        request,
        risk_id,
        RiskForm(request.POST),
        services.update_risk,
        form_key="risk_form",
        part="risks",
        done=lambda risk: f"Risk saved. Its level is {risk.level.label.lower()}.",
    )


@require_POST
@refusals_go_to("staff:dpia_risk", "risk_id")
def measures_save(request: HttpRequest, ods: str, risk_id: int) -> HttpResponse:
    return _save_on_risk(
        request,
        risk_id,
        MeasuresForm(request.POST),
        services.save_measures,
        form_key="measures_form",
        part="measures",
        done=lambda risk: f"Measures saved. The residual level is {risk.residual_level.label.lower()}.",
    )


@require_POST
@refusals_go_to("staff:dpia_risk", "risk_id")
def risk_remove(request: HttpRequest, ods: str, risk_id: int) -> HttpResponse:
    services.remove_risk(actor=Actor.from_request(request), practice=request.practice, risk_id=risk_id)
    messages.success(request, "Risk removed.")
    return redirect("staff:dpia_step", ods=ods, part="risks")


@require_POST
@refusals_go_to("staff:dpia_overview")
def new_version(request: HttpRequest, ods: str) -> HttpResponse:
    draft = services.start_new_version(actor=Actor.from_request(request), practice=request.practice)
    messages.success(
        request, f"Version {draft.number} started as a draft, copied from the last signed version."
    )
    return redirect("staff:dpia_overview", ods=ods)


def version_detail(request: HttpRequest, ods: str, version: int) -> HttpResponse:
    assessment = selectors.version(request.practice, version)
    return render(
        request,
        "assurance/version.jinja",
        {**document(assessment), "controls": _controls(request), "can_edit": _can_edit(request)},
    )


def consultation_pack(request: HttpRequest, ods: str, version: int) -> HttpResponse:
    """The DPIA's seven steps with its risk matrix, as a PDF to send to the ICO (or the ICB)."""
    assessment = selectors.version(request.practice, version)
    html = render_to_string(
        "assurance/pdf/pack.jinja",
        {
            **document(assessment),
            "practice": request.practice,
            "controls": _controls(request),
            "font": FONT,
            "title": f"DPIA version {assessment.number}",
        },
    )
    body = render_pdf(html)
    services.record_pack_download(
        actor=Actor.from_request(request), practice=request.practice, assessment=assessment
    )
    return HttpResponse(
        body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="dpia-{ods}-version-{assessment.number}.pdf"'},
    )
