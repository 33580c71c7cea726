"""Staff pages for message templates. The rules live in content.py and messages.py; views only show them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.outreach import selectors, services
from recordaccess.outreach.campaigns import LEFT_OUT
from recordaccess.outreach.forms import CampaignForm, TemplateForm
from recordaccess.outreach.messages import TemplateError, sms_length
from recordaccess.outreach.messages import render as render_message
from recordaccess.outreach.models import MessageStatus, OutboxItem


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


def campaign_list(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "outreach/campaigns.jinja",
        {"campaigns": request.practice.campaigns.select_related("cohort")},
    )


def campaign_new(request: HttpRequest, ods: str) -> HttpResponse:
    form = CampaignForm(request.POST or None, practice=request.practice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                actor=Actor.from_request(request),
                practice=request.practice,
                name=data["name"],
                cohort=data["cohort"],
                templates={c: data[f"{c}_template"] for c in ("sms", "email", "letter")},
                skip_told_within_days=data["skip_told_within_days"],
            )
            return redirect("staff:campaign", ods=ods, campaign_id=campaign.pk)
        except services.CampaignError as error:
            form.add_error("name", str(error))
    return render(request, "outreach/campaign_new.jinja", {"form": form})


def campaign_detail(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    campaign = request.practice.campaigns.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign")
    progress = dict(campaign.messages.values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "outreach/campaign.jinja",
        {"campaign": campaign, "progress": progress, "left_out_labels": LEFT_OUT, "statuses": MessageStatus},
    )


@require_POST
def campaign_action(request: HttpRequest, ods: str, campaign_id: int, action: str) -> HttpResponse:
    actor, practice = Actor.from_request(request), request.practice
    try:
        if action == "approve":
            services.approve_campaign(actor=actor, practice=practice, campaign_id=campaign_id)
            messages.success(
                request, "Campaign approved. Its recipients are fixed: send it when you are ready."
            )
        elif action in ("send", "pause"):
            services.set_campaign_sending(
                actor=actor, practice=practice, campaign_id=campaign_id, sending=action == "send"
            )
            messages.success(
                request,
                "Sending: messages go out inside the sending window." if action == "send" else "Paused.",
            )
        else:
            raise Http404("No such action")
    except services.CampaignError as error:
        messages.error(request, str(error))
    return redirect("staff:campaign", ods=ods, campaign_id=campaign_id)


def outbox(request: HttpRequest, ods: str) -> HttpResponse:
    items = (
        OutboxItem.objects.filter(message__campaign__practice=request.practice)
        .select_related("message__patient", "message__campaign")
        .order_by("-pk")
    )
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    record_request(
        request,
        "outbox.view",
        object_type="outbox",
        detail={"page": page.number, "patient_ids": [i.message.patient_id for i in page]},
    )
    return render(request, "outreach/outbox.jinja", {"page": page})
