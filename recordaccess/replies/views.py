"""The pages where a patient's answer arrives: their own link from a message, and Notify's callback for a text
message they send back. Neither shows anything about the patient to whoever holds the link or the number."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recordaccess.core.callbacks import authorised, malformed
from recordaccess.intake import nhslogin
from recordaccess.patients.models import Preference
from recordaccess.replies import services
from recordaccess.replies.forms import PreferenceForm


def reply(request: HttpRequest, code: str) -> HttpResponse:
    """A patient's own preference link from a message. It shows nothing about them: whoever holds the link
    sees only the question, and a wrong or expired code looks the same as any other page not found."""
    message = services.message_for_code(code)
    if message is None:
        return render(request, "intake/reply_unknown.jinja", {"practice": None}, status=404)
    practice = message.campaign.practice
    form = PreferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answer = services.reply_by_link(code, form.cleaned_data["preference"], form.cleaned_data["question"])
        if answer is None:  # they left the register while the page was open
            return render(request, "intake/reply_unknown.jinja", {"practice": None}, status=404)
        if answer.request is not None and answer.preference == Preference.WANTS_ACCESS:
            # their request: NHS login may verify who they are from here
            request.session[f"request:{practice.ods_code}:done_id"] = answer.request.pk
        return render(
            request,
            "replies/reply_done.jinja",
            {
                "practice": practice,
                "preference": answer.preference,
                "access_request": answer.request,
                "nhs_login": nhslogin.configured(),
            },
        )
    return render(request, "replies/reply.jinja", {"practice": practice, "form": form})


@csrf_exempt  # Notify authenticates with the bearer token it was given, not a browser session
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not authorised(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        received = json.loads(request.body)
        notify_id, number, text = received["id"], received["source_number"], received["message"]
        if not (isinstance(number, str) and number and isinstance(text, str)):
            raise TypeError
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse(
            {"error": "Expected Notify's received text: id, source_number and message"}, status=400
        )
    refused = malformed("id", notify_id)
    if refused:
        return refused
    services.inbound_sms(notify_id, number, text)
    return HttpResponse(status=204)
