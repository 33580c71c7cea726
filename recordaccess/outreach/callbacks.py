"""GOV.UK Notify's callbacks: delivery receipts (another state transition on a message, found by our reference)
and text messages patients send back."""

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recordaccess.outreach import replies
from recordaccess.outreach.models import Message, MessageStatus

# Notify's final statuses; "sending" and "created" are not sent as receipts.
RECEIPT_STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}


def _authorised(request: HttpRequest) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt  # Notify authenticates with the bearer token it was given, not a browser session
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        receipt = json.loads(request.body)
        reference, status = receipt["reference"], RECEIPT_STATUSES[receipt["status"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Expected Notify's receipt: reference and a final status"}, status=400)
    # A receipt for a message we do not know changes nothing, and says nothing about who exists.
    Message.objects.filter(reference=reference).exclude(status=MessageStatus.DELIVERED).update(
        status=status,
        updated_at=timezone.now(),
        error="" if status == MessageStatus.DELIVERED else receipt["status"],
    )
    return HttpResponse(status=204)


@csrf_exempt  # as above: Notify's bearer token
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        received = json.loads(request.body)
        notify_id, number, text = received["id"], received["source_number"], received["message"]
        if not all(isinstance(v, str) and v for v in (notify_id, number)) or not isinstance(text, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": "Expected Notify's received text: id, source_number and message"}, status=400
        )
    replies.inbound_sms(notify_id, number, text)
    return HttpResponse(status=204)
