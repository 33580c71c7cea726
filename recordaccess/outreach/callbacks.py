"""GOV.UK Notify's callbacks: delivery receipts (another state transition on a message, found by our reference).
The text messages patients send back arrive at replies/views.py `inbound_sms`; both check core/callbacks.py first."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recordaccess.core.callbacks import authorised, malformed
from recordaccess.outreach.models import MessageStatus
from recordaccess.outreach.sending import record_receipt

# Notify's final statuses; "sending" and "created" are not sent as receipts.
RECEIPT_STATUSES = {
    "delivered": MessageStatus.DELIVERED,
    "permanent-failure": MessageStatus.PERMANENT_FAILURE,
    "temporary-failure": MessageStatus.TEMPORARY_FAILURE,
    "technical-failure": MessageStatus.TECHNICAL_FAILURE,
}


@csrf_exempt  # Notify authenticates with the bearer token it was given, not a browser session
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    if not authorised(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        receipt = json.loads(request.body)
        reference, status = receipt["reference"], RECEIPT_STATUSES[receipt["status"]]
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": "Expected Notify's receipt: reference and a final status"}, status=400)
    refused = ("id" in receipt and malformed("id", receipt["id"])) or (
        reference is not None and malformed("reference", reference)
    )
    if refused:
        return refused
    record_receipt(reference, status, "" if status == MessageStatus.DELIVERED else receipt["status"])
    return HttpResponse(status=204)
