"""GOV.UK Notify's callbacks: delivery receipts (another state transition on a message, found by our reference)
and text messages patients send back."""

import hmac
import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recordaccess.outreach import replies
from recordaccess.outreach.models import MessageStatus
from recordaccess.outreach.sending import record_receipt

# Notify's final statuses; "sending" and "created" are not sent as receipts.
RECEIPT_STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}


# Our references (RA-12-345, ACK-K7M2Q9XD…) and Notify's ids (UUIDs) alike: no longer than the columns that
# hold them, and made only of characters a reference is made of.
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}")


def _authorised(request: HttpRequest) -> bool:
    """Notify sends `Authorization: Bearer <token>`: the token alone, or under another scheme, is refused."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme == "Bearer" and hmac.compare_digest(given.encode(), expected.encode())


def _malformed(name: str, value) -> JsonResponse | None:
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        return None
    return JsonResponse(
        {
            "error": f"{name} must be 1 to 40 letters, digits, hyphens, dots, colons or underscores, "
            "starting with a letter or digit"
        },
        status=400,
    )


@csrf_exempt  # Notify authenticates with the bearer token it was given, not a browser session
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        receipt = json.loads(request.body)
        reference, status = receipt["reference"], RECEIPT_STATUSES[receipt["status"]]
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": "Expected Notify's receipt: reference and a final status"}, status=400)
    refused = ("id" in receipt and _malformed("id", receipt["id"])) or (
        reference is not None and _malformed("reference", reference)
    )
    if refused:
        return refused
    record_receipt(reference, status, "" if status == MessageStatus.DELIVERED else receipt["status"])
    return HttpResponse(status=204)


@csrf_exempt  # as above: Notify's bearer token
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
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
    refused = _malformed("id", notify_id)
    if refused:
        return refused
    replies.inbound_sms(notify_id, number, text)
    return HttpResponse(status=204)
