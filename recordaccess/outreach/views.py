"""Staff pages for message templates. The rules live in content.py and messages.py; views only show them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor
from recordaccess.outreach import selectors, services
from recordaccess.outreach.forms import TemplateForm
from recordaccess.outreach.messages import TemplateError, sms_length
from recordaccess.outreach.messages import render as render_message


def template_list(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request, "outreach/templates.jinja", {"templates": selectors.practice_templates(request.practice)}
    )


@require_POST
def template_install(request: HttpRequest, ods: str) -> HttpResponse:
    added = services.install_default_templates(actor=Actor.from_request(request), practice=request.practice)
    messages.success(
        request,
        f"Added {added} default templates for your approach." if added else "You already have every default.",
    )
    return redirect("staff:templates", ods=ods)


def template_edit(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    template = selectors.practice_templates(request.practice).filter(pk=template_id).first()
    if template is None:
        raise Http404("No such template")
    form = TemplateForm(request.POST or None, initial={"subject": template.subject, "body": template.body})
    if request.method == "POST" and form.is_valid():
        template = services.save_template(
            actor=Actor.from_request(request),
            practice=request.practice,
            template_id=template.pk,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, "Template saved as a draft.")
        return redirect("staff:template", ods=ods, template_id=template.pk)
    breaks = services.rule_breaks(template, request.practice.approach)
    values = selectors.sample_values(request.practice, request.build_absolute_uri("/").rstrip("/"))
    try:
        preview, preview_error = render_message(template.body, values), ""
    except TemplateError as error:
        preview, preview_error = "", str(error)
    length = sms_length(preview) if template.channel == "sms" and preview else None
    return render(
        request,
        "outreach/template_edit.jinja",
        {
            "form": form,
            "template": template,
            "breaks": breaks,
            "preview": preview,
            "preview_error": preview_error,
            "length": length,
        },
    )


@require_POST
def template_approve(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    try:
        services.approve_template(
            actor=Actor.from_request(request), practice=request.practice, template_id=template_id
        )
        messages.success(request, "Template approved: it can now be used in campaigns.")
    except TemplateError as error:
        messages.error(request, str(error))
    return redirect("staff:template", ods=ods, template_id=template_id)
