"""Staff pages for message templates. The rules live in content.py and messages.py; views only show them."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.outreach import selectors, services
from recordaccess.outreach.campaigns import LEFT_OUT, sms_estimate
from recordaccess.outreach.channels import Rendered
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.forms import CampaignForm, ScheduleForm, TemplateForm, WindowForm
from recordaccess.outreach.letters import (
    letter_address,
    letter_for,
    letter_from_outbox,
    letter_pdf,
    poster_pdf,
)
from recordaccess.outreach.messages import TemplateError, sms_length, social_lengths
from recordaccess.outreach.messages import render as render_message
from recordaccess.outreach.models import (
    LetterPrint,
    ReplyStatus,
    TemplateStatus,
)
from recordaccess.outreach.sending import when_sending_starts
from recordaccess.patients.models import Preference
from recordaccess.patients.selectors import written_format_for
from recordaccess.practices.readiness import missing_before_patients


def template_list(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "outreach/templates.jinja",
        {
            "templates": selectors.practice_templates(request.practice),
            "withdrawn": selectors.practice_templates(request.practice).exclude(withdrawn_note=""),
            "missing": missing_before_patients(request.practice),
        },
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
    template = selectors.template_for_practice(request.practice, template_id)
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
    patient, patient_error = _preview_patient(request, template)
    values = selectors.preview_values(request.practice, settings.PUBLIC_BASE_URL, patient)
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
            "patient": patient,
            "patient_error": patient_error,
            "nhs_number": request.GET.get("nhs_number", ""),
            "may_approve": services.may_approve_template(template, request.user.get_username()),
        },
    )


def template_length(request: HttpRequest, ods: str, template_id: int) -> JsonResponse:
    """The length of a text as it would be sent with the sample values, for the counter on the editing page
    (sms-length.js): the same count the page shows after saving, so the server stays the one truth."""
    selectors.template_for_practice(
        request.practice, template_id, channel="sms"
    )  # the practice's own, or 404
    values = selectors.preview_values(request.practice, settings.PUBLIC_BASE_URL)
    try:
        length = sms_length(render_message(request.GET.get("body", ""), values))
    except TemplateError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "characters": length.characters,
            "fragments": length.fragments,
            "encoding": length.encoding,
            "unicode_characters": list(length.unicode_characters),
            "too_long": length.too_long,
        }
    )


def _preview_patient(request, template):
    """The patient a preview is for (by NHS number in the query), audited; or an error to show."""
    number = request.GET.get("nhs_number", "").strip()
    if not number:
        return None, ""
    patient = selectors.preview_patient(request.practice, number)
    if patient is None:
        return None, "There is no patient with that NHS number at this practice."
    record_request(
        request, "template.preview", object_type="template", object_id=template.pk, patient_id=patient.pk
    )
    return patient, ""


PREVIEW_FORMATS = ("large_print", "easy_read")


def template_letter(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    """A letter template as the PDF a patient would get: a sample patient's, or a real one's by NHS number."""
    template = _approved_template(request, template_id, channel="letter")
    patient, error = _preview_patient(request, template)
    if error:
        raise Http404(error)
    values = selectors.preview_values(request.practice, settings.PUBLIC_BASE_URL, patient)
    if patient is not None and len(patient.address_lines) >= 2:
        address = letter_address(f"{patient.given_name} {patient.family_name}", patient.address_lines)
    else:
        address = ["Sam Patient", "1 Example Street", "Leeds", "LS1 1AA"]
    # In a format asked for, or else in the one the patient's own communication needs ask for.
    asked = "large_print" if request.GET.get("large_print") == "1" else request.GET.get("format", "")
    format = asked if asked in PREVIEW_FORMATS else written_format_for(patient) if patient else ""
    try:
        rendered = Rendered(
            to="\n".join(address),
            subject=render_message(template.subject, values) if template.subject else "",
            body=render_message(template.body, values),
        )
        letter = letter_for("PREVIEW", rendered, format=format)
    except TemplateError as problem:
        raise Http404(str(problem)) from problem
    return HttpResponse(
        letter_pdf(request.practice, letter),
        content_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="letter-preview.pdf"'},
    )


@refusals_go_to("staff:template", "template_id")
@require_POST
def template_approve(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    services.approve_template(
        actor=Actor.from_request(request), practice=request.practice, template_id=template_id
    )
    messages.success(request, "Template approved: it can now be used in campaigns.")
    return redirect("staff:template", ods=ods, template_id=template_id)


def campaign_list(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "outreach/campaigns.jinja",
        {
            "campaigns": selectors.practice_campaigns(request.practice),
            "missing": missing_before_patients(request.practice),
        },
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
                templates={key: data[f"{key}_template"] for key in services.TEMPLATE_KEYS},
                skip_told_within_days=data["skip_told_within_days"],
            )
            return redirect("staff:campaign", ods=ods, campaign_id=campaign.pk)
        except services.CampaignError as error:
            show_on_form(form, error, field="name")
    return render(request, "outreach/campaign_new.jinja", {"form": form})


def campaign_edit(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    """A draft's name, cohort, templates and who it leaves out; its recipients are worked out again."""
    campaign = selectors.campaign_for_practice(request.practice, campaign_id)
    if campaign.status != "draft":
        return redirect("staff:campaign", ods=ods, campaign_id=campaign.pk)
    initial = {
        "name": campaign.name,
        "cohort": campaign.cohort_id,
        "skip_told_within_days": campaign.skip_told_within_days,
    } | {f"{key}_template": getattr(campaign, f"{key}_template_id") for key in services.TEMPLATE_KEYS}
    form = CampaignForm(request.POST or None, practice=request.practice, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_campaign(
                actor=Actor.from_request(request),
                practice=request.practice,
                campaign_id=campaign.pk,
                name=data["name"],
                cohort=data["cohort"],
                templates={key: data[f"{key}_template"] for key in services.TEMPLATE_KEYS},
                skip_told_within_days=data["skip_told_within_days"],
            )
            messages.success(request, "Campaign changed: who it reaches has been worked out again.")
            return redirect("staff:campaign", ods=ods, campaign_id=campaign.pk)
        except services.CampaignError as error:
            show_on_form(form, error, field="name")
    return render(request, "outreach/campaign_new.jinja", {"form": form, "campaign": campaign})


def campaign_detail(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_for_practice(request.practice, campaign_id)
    return _campaign_page(request, campaign)


def _campaign_page(request, campaign, *, window_form=None, schedule_form=None) -> HttpResponse:
    """The campaign page, with the window or schedule form as posted when it has errors to show."""
    in_outbox = selectors.campaign_in_outbox(campaign)
    window = {
        "window_start": f"{campaign.window_start:%H:%M}",
        "window_end": f"{campaign.window_end:%H:%M}",
        "send_on_sundays": campaign.send_on_sundays,
    }
    return render(
        request,
        "outreach/campaign.jinja",
        {
            "campaign": campaign,
            "missing": missing_before_patients(request.practice),
            "in_outbox": in_outbox,
            "progress": selectors.campaign_progress(campaign, in_outbox),
            "left_out_labels": LEFT_OUT,
            "letters_to_print": services.outbox_letters(campaign).count(),
            "sms": sms_estimate(campaign, settings.PUBLIC_BASE_URL),
            "price": settings.SMS_PRICE_PENCE,
            "prints": campaign.prints.all()[:5],
            "is_author": campaign.created_by == request.user.get_username(),
            "previews": selectors.campaign_previews(campaign, settings.PUBLIC_BASE_URL),
            "window_form": window_form or WindowForm(initial=window),
            "schedule_form": schedule_form or ScheduleForm(),
        },
        status=400 if window_form or schedule_form else 200,
    )


@refusals_go_to("staff:campaign", "campaign_id")
@require_POST
def campaign_window(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    form = WindowForm(request.POST)
    if not form.is_valid():
        campaign = selectors.campaign_for_practice(request.practice, campaign_id)
        return _campaign_page(request, campaign, window_form=form)
    services.set_campaign_window(
        actor=Actor.from_request(request),
        practice=request.practice,
        campaign_id=campaign_id,
        start=form.cleaned_data["window_start"],
        end=form.cleaned_data["window_end"],
        send_on_sundays=form.cleaned_data["send_on_sundays"],
    )
    messages.success(request, "Sending window saved.")
    return redirect("staff:campaign", ods=ods, campaign_id=campaign_id)


@refusals_go_to("staff:campaign", "campaign_id")
@require_POST
def campaign_schedule(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        campaign = selectors.campaign_for_practice(request.practice, campaign_id)
        return _campaign_page(request, campaign, schedule_form=form)
    campaign = services.schedule_campaign(
        actor=Actor.from_request(request), practice=request.practice, campaign_id=campaign_id, at=form.at()
    )
    messages.success(
        request,
        f"Scheduled: it starts sending by itself at {_when(campaign.scheduled_for)}, if it is still approved "
        "and your practice still ready to send.",
    )
    return redirect("staff:campaign", ods=ods, campaign_id=campaign_id)


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


@refusals_go_to("staff:campaign", "campaign_id")
@require_POST
def letter_print_new(request: HttpRequest, ods: str, campaign_id: int) -> HttpResponse:
    job = services.request_letter_print(
        actor=Actor.from_request(request), practice=request.practice, campaign_id=campaign_id
    )
    return redirect("staff:letter_print", ods=ods, campaign_id=campaign_id, print_id=job.pk)


def _practice_print(request, campaign_id: int, print_id: int) -> LetterPrint:
    return selectors.letter_print_for_practice(request.practice, campaign_id, print_id)


def letter_print(request: HttpRequest, ods: str, campaign_id: int, print_id: int) -> HttpResponse:
    return render(
        request, "outreach/letter_print.jinja", {"job": _practice_print(request, campaign_id, print_id)}
    )


def letter_print_status(request: HttpRequest, ods: str, campaign_id: int, print_id: int) -> JsonResponse:
    job = _practice_print(request, campaign_id, print_id)
    return JsonResponse(
        {"status": job.status, "percent": job.percent_done, "done": job.done, "total": job.total}
    )


def letter_print_pdf(request: HttpRequest, ods: str, campaign_id: int, print_id: int) -> FileResponse:
    job = _practice_print(request, campaign_id, print_id)
    if not job.path or not Path(job.path).exists():
        raise Http404("This PDF is not ready")
    record_request(
        request,
        "campaign.letters_download",
        object_type="letter_print",
        object_id=job.pk,
        detail={"campaign": campaign_id, "letters": job.total},
    )
    return FileResponse(open(job.path, "rb"), filename=f"letters-{job.campaign.name}-{job.pk}.pdf")


def outbox_letter(request: HttpRequest, ods: str, item_id: int) -> HttpResponse:
    item = selectors.outbox_letter_for_practice(request.practice, item_id)
    record_request(
        request,
        "outbox.letter_view",
        object_type="outbox",
        object_id=item.pk,
        patient_id=item.message.patient_id,
    )
    pdf = letter_pdf(request.practice, letter_from_outbox(item))
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{item.message.reference}.pdf"'},
    )


def _approved_template(request, template_id: int, channel: str | None = None):
    return selectors.template_for_practice(request.practice, template_id, channel)


def template_use(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    """How to use a template that is not sent to patients one by one: poster, website, social post, script."""
    template = _approved_template(request, template_id)
    if template.channel in ("sms", "email", "letter"):
        return redirect("staff:template", ods=ods, template_id=template.pk)
    values = selectors.sample_values(request.practice, settings.PUBLIC_BASE_URL)
    try:
        text, error = render_message(template.body, values), ""
    except TemplateError as problem:
        text, error = "", str(problem)
    return render(
        request,
        "outreach/template_use.jinja",
        {
            "template": template,
            "text": text,
            "error": error,
            "html": to_html(text) if text else "",
            "lengths": social_lengths(text) if template.channel == "social" and text else [],
            "public_url": settings.PUBLIC_BASE_URL
            + reverse("intake:notice", kwargs={"ods": request.practice.ods_code}),
            "approved": template.status == TemplateStatus.APPROVED,
        },
    )


@refusals_go_to("staff:template_use", "template_id")
def template_poster(request: HttpRequest, ods: str, template_id: int) -> HttpResponse:
    template = _approved_template(request, template_id, channel="poster")
    values = selectors.poster_values(request.practice, settings.PUBLIC_BASE_URL)
    return HttpResponse(
        poster_pdf(request.practice, template, values),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="poster-{request.practice.ods_code}.pdf"'},
    )


@refusals_go_to("staff:campaign", "campaign_id")
@require_POST
def campaign_action(request: HttpRequest, ods: str, campaign_id: int, action: str) -> HttpResponse:
    actor, practice = Actor.from_request(request), request.practice
    if action == "approve":
        services.approve_campaign(actor=actor, practice=practice, campaign_id=campaign_id)
        messages.success(request, "Campaign approved. Its recipients are fixed: send it when you are ready.")
    elif action in ("send", "pause"):
        campaign = services.set_campaign_sending(
            actor=actor, practice=practice, campaign_id=campaign_id, sending=action == "send"
        )
        messages.success(request, _sending_message(campaign) if action == "send" else "Paused.")
    elif action == "unschedule":
        services.schedule_campaign(actor=actor, practice=practice, campaign_id=campaign_id, at=None)
        messages.success(request, "Schedule cancelled: the campaign will not start by itself.")
    elif action == "delete":
        services.delete_campaign(actor=actor, practice=practice, campaign_id=campaign_id)
        messages.success(request, "Draft campaign deleted.")
        return redirect("staff:campaigns", ods=ods)
    else:
        raise Http404("No such action")
    return redirect("staff:campaign", ods=ods, campaign_id=campaign_id)


def _sending_message(campaign) -> str:
    """What pressing Send did: sending now, or when it starts, since messages only go inside the window."""
    window = f"{campaign.window_start:%H:%M} and {campaign.window_end:%H:%M}, " + (
        "every day" if campaign.send_on_sundays else "Monday to Saturday"
    )
    starts = when_sending_starts(campaign, timezone.now())
    if starts:
        return f"Queued: messages go out inside the sending window only, between {window}. {starts}"
    return f"Sending: messages go out inside the sending window, between {window}."


def outbox(request: HttpRequest, ods: str) -> HttpResponse:
    page = Paginator(selectors.outbox_items(request.practice), 25).get_page(request.GET.get("page"))
    record_request(
        request,
        "outbox.view",
        object_type="outbox",
        detail={"page": page.number, "patient_ids": [i.message.patient_id for i in page if i.message]},
    )
    return render(request, "outreach/outbox.jinja", {"page": page})


def reply_list(request: HttpRequest, ods: str) -> HttpResponse:
    """Patients' answers: those recorded, and those a person must read (unclear words, a shared number). The
    old list of patients to call is the question inbox now: its address leads there."""
    wanted = request.GET.get("show", "needs_review")
    if wanted == "to_call":
        return redirect(reverse("staff:inbox", kwargs={"ods": ods}))
    replies = selectors.practice_replies(request.practice)
    if wanted in ReplyStatus.values:
        replies = replies.filter(status=wanted)
    page = Paginator(replies, 25).get_page(request.GET.get("page"))
    record_request(
        request,
        "replies.view",
        object_type="replies",
        detail={"page": page.number, "patient_ids": [r.patient_id for r in page if r.patient_id]},
    )
    counts = selectors.reply_counts(request.practice)
    return render(
        request,
        "outreach/replies.jinja",
        {
            "page": page,
            "show": wanted,
            "counts": counts,
            "statuses": ReplyStatus,
            "preferences": dict(Preference.choices),
        },
    )
