"""The practice plan's pages, under /staff/p/<ods>/plan/: every section with its status, what is missing and where
to put it right; a page per section for the practice's words; approval, versions, the exports and the record of
sharing. The practice's staff read it; administrators (the practice manager, the IG lead) write, approve and
record sharing; observers from the PCN or ICB do not open it, as with the DPIA's pages."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recordaccess.assurance import export
from recordaccess.assurance import plan as plans
from recordaccess.assurance.plan_forms import ShareForm, section_form
from recordaccess.audit.services import Actor
from recordaccess.core.errors import NotFound, refusals_go_to, show_on_form
from recordaccess.practices.access import allows
from recordaccess.practices.roles import Role

TAGS = {plans.DONE: "nhsuk-tag--green", plans.IN_PROGRESS: "nhsuk-tag--blue", plans.MISSING: "nhsuk-tag--red"}


def _can_edit(request) -> bool:
    return allows("staff:plan_save", Role(request.membership.role))


def _approved_numbers(practice) -> list[int]:
    return [v.number for v in plans.versions(practice) if v.is_approved]


def _page(request, *, share_form=None, status: int = 200) -> HttpResponse:
    practice = request.practice
    latest = plans.latest(practice)
    found = plans.sections(practice, latest)
    role = Role(request.membership.role)
    approved = _approved_numbers(practice)
    return render(
        request,
        "assurance/plan.jinja",
        {
            "plan": latest,
            "sections": found,
            "fix_links": {s.key: allows(s.fix, role) for s in found if s.fix},
            "tags": TAGS,
            "done": all(s.status == plans.DONE for s in found),
            "can_edit": _can_edit(request),
            "versions": plans.versions(practice),
            "shares": plans.shares(practice),
            "formats": plans.FORMATS,
            "share_form": share_form
            if share_form is not None
            else (
                ShareForm(approved_versions=approved, initial={"version": approved[0]}) if approved else None
            ),
        },
        status=status,
    )


def overview(request: HttpRequest, ods: str) -> HttpResponse:
    return _page(request)


def _section_page(request, key: str, form=None, status: int = 200) -> HttpResponse:
    latest = plans.latest(request.practice)
    found = plans.section(request.practice, latest, key)
    editable = _can_edit(request)
    if editable and form is None:
        form = section_form(found)
    return render(
        request,
        "assurance/plan_section.jinja",
        {
            "plan": latest,
            "section": found,
            "answers": plans.answers(found),
            "form": form if editable else None,
            "tags": TAGS,
            "fix_link": allows(found.fix, Role(request.membership.role)) if found.fix else False,
        },
        status=status,
    )


def section(request: HttpRequest, ods: str, section: str) -> HttpResponse:
    return _section_page(request, section)


@require_POST
@refusals_go_to("staff:plan")
def section_save(request: HttpRequest, ods: str, section: str) -> HttpResponse:
    found = plans.section(request.practice, plans.latest(request.practice), section)
    form = section_form(found, request.POST)
    if form.is_valid():
        saved = plans.save_section(
            actor=Actor.from_request(request),
            practice=request.practice,
            key=section,
            values=form.cleaned_data,
        )
        messages.success(request, f"{found.title}: saved in version {saved.number} (a draft).")
        return redirect("staff:plan", ods=ods)
    return _section_page(request, section, form, status=400)


@require_POST
@refusals_go_to("staff:plan")
def approve(request: HttpRequest, ods: str) -> HttpResponse:
    approved = plans.approve(
        actor=Actor.from_request(request), practice=request.practice, approver=request.user
    )
    messages.success(
        request, f"Version {approved.number} of the plan is approved. A change starts a new draft."
    )
    return redirect("staff:plan", ods=ods)


def version_detail(request: HttpRequest, ods: str, plan_version: int) -> HttpResponse:
    found = plans.version(request.practice, plan_version)
    statuses, blocks = plans.shown(request.practice, found)
    return render(
        request,
        "assurance/plan_version.jinja",
        {"plan": found, "statuses": statuses, "blocks": blocks, "tags": TAGS, "formats": plans.FORMATS},
    )


def _download(request, plan, fmt: str) -> HttpResponse:
    if fmt not in plans.FORMATS:
        raise NotFound("No such format")
    body = export.render(export.build(request.practice, plan), fmt)
    plans.record_export(actor=Actor.from_request(request), practice=request.practice, plan=plan, fmt=fmt)
    name = (
        f"plan-{request.practice.ods_code}-version-{plan.number}"
        if plan
        else f"plan-{request.practice.ods_code}"
    )
    return HttpResponse(
        body,
        content_type=export.CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def download(request: HttpRequest, ods: str, fmt: str) -> HttpResponse:
    """The newest version (the draft, if there is one) as a file."""
    return _download(request, plans.latest(request.practice), fmt)


def version_download(request: HttpRequest, ods: str, plan_version: int, fmt: str) -> HttpResponse:
    return _download(request, plans.version(request.practice, plan_version), fmt)


@require_POST
@refusals_go_to("staff:plan")
def share(request: HttpRequest, ods: str) -> HttpResponse:
    form = ShareForm(request.POST, approved_versions=_approved_numbers(request.practice))
    if form.is_valid():
        try:
            shared = plans.record_share(
                actor=Actor.from_request(request),
                practice=request.practice,
                number=form.cleaned_data["version"],
                shared_with=form.cleaned_data["shared_with"],
                name=form.cleaned_data["name"],
                shared_on=form.cleaned_data["shared_on"],
            )
        except plans.PlanError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                f"Recorded: version {shared.plan.number} shared with {shared.get_shared_with_display()}.",
            )
            return redirect("staff:plan", ods=ods)
    return _page(request, share_form=form, status=400)
