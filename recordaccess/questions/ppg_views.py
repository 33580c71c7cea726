"""The Patient Participation Group's log and its pack, as staff use them: administrators add and change
meetings and actions, the rest of the practice's staff read them (questions/staff_urls.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import show_on_form
from recordaccess.core.pdf import FONT, render_pdf
from recordaccess.questions import figures, ppg
from recordaccess.questions.ppg_forms import ActionForm, MeetingForm


def _posted(request: HttpRequest):
    """The form's answers on a POST (an empty one too, so it shows what is missing); None on a GET."""
    return request.POST if request.method == "POST" else None


def ppg_log(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "questions/ppg/log.jinja",
        {"meetings": ppg.meetings(request.practice), "open_actions": ppg.open_actions(request.practice)},
    )


def meeting_detail(request: HttpRequest, ods: str, meeting_id: int) -> HttpResponse:
    meeting = ppg.meeting_for_practice(request.practice, meeting_id)
    return render(
        request,
        "questions/ppg/meeting.jinja",
        {"meeting": meeting, "actions": meeting.actions.all(), "today": timezone.localdate()},
    )


def _meeting_form_page(request, form, meeting=None) -> HttpResponse:
    return render(
        request,
        "questions/ppg/meeting_form.jinja",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


def meeting_new(request: HttpRequest, ods: str) -> HttpResponse:
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = ppg.add_meeting(
                actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data
            )
            messages.success(request, "Meeting added to the log.")
            return redirect("staff:ppg_meeting", ods=ods, meeting_id=meeting.pk)
        except ppg.PpgError as error:
            show_on_form(form, error)
    return _meeting_form_page(request, form)


def meeting_edit(request: HttpRequest, ods: str, meeting_id: int) -> HttpResponse:
    meeting = ppg.meeting_for_practice(request.practice, meeting_id)
    initial = {f: getattr(meeting, f) for f in ("held_on", "attendees", "discussed", "feedback")}
    form = MeetingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ppg.change_meeting(
                actor=Actor.from_request(request),
                practice=request.practice,
                meeting_id=meeting.pk,
                **form.cleaned_data,
            )
            messages.success(request, "Meeting saved.")
            return redirect("staff:ppg_meeting", ods=ods, meeting_id=meeting.pk)
        except ppg.PpgError as error:
            show_on_form(form, error)
    return _meeting_form_page(request, form, meeting)


def _action_form_page(request, form, meeting, action=None) -> HttpResponse:
    return render(
        request,
        "questions/ppg/action_form.jinja",
        {"form": form, "meeting": meeting, "action": action},
        status=400 if form.errors else 200,
    )


def action_new(request: HttpRequest, ods: str, meeting_id: int) -> HttpResponse:
    meeting = ppg.meeting_for_practice(request.practice, meeting_id)
    form = ActionForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            ppg.add_action(
                actor=Actor.from_request(request),
                practice=request.practice,
                meeting_id=meeting.pk,
                **form.cleaned_data,
            )
            messages.success(request, "Action added.")
            return redirect("staff:ppg_meeting", ods=ods, meeting_id=meeting.pk)
        except ppg.PpgError as error:
            show_on_form(form, error)
    return _action_form_page(request, form, meeting)


def action_edit(request: HttpRequest, ods: str, action_id: int) -> HttpResponse:
    action = ppg.action_for_practice(request.practice, action_id)
    initial = {
        "what": action.what,
        "owner": action.owner,
        "due_on": action.due_on,
        "done": action.done,
        "done_on": action.done_on,
    }
    form = ActionForm(_posted(request), initial=initial, meeting=action.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            ppg.change_action(
                actor=Actor.from_request(request),
                practice=request.practice,
                action_id=action.pk,
                **form.cleaned_data,
            )
            messages.success(request, "Action saved.")
            return redirect("staff:ppg_meeting", ods=ods, meeting_id=action.meeting_id)
        except ppg.PpgError as error:
            show_on_form(form, error)
    return _action_form_page(request, form, action.meeting, action)


def ppg_pack(request: HttpRequest, ods: str) -> HttpResponse:
    """One PDF to take to the group: the approach, the DPIA, the messages, the questions asked most, the open
    actions. Counts and the practice's own words only (H86)."""
    context = ppg.pack_context(request.practice)
    html = render_to_string(
        "questions/ppg/pack.jinja",
        {
            **context,
            "font": FONT,
            "title": f"{request.practice.name}: pack for the Patient Participation Group",
            "duration": figures.duration,
        },
    )
    record_request(request, "ppg.pack_downloaded", object_type="practice", object_id=request.practice.pk)
    return HttpResponse(
        render_pdf(html),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ppg-pack-{ods}.pdf"'},
    )
