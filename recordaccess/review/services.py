"""Review's actions on the waiting list: marking clinical need, and the list in order (the order itself is kept by
intake/waiting_list.py, beside the columns it fills)."""

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.core.errors import DomainError
from recordaccess.intake import priority
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.services import audit_request
from recordaccess.intake.waiting_list import refresh, weights_for


class ReviewError(DomainError):
    """Something that cannot be done in review, with a message for the person doing it."""


@transaction.atomic
def mark_need(*, actor: Actor, request: AccessRequest, need: str, note: str) -> AccessRequest:
    if need and need not in priority.NEEDS:
        raise ReviewError("Choose a clinical need from the list.")
    request.clinical_need, request.need_note = need, note.strip()[:300]
    request.save(update_fields=["clinical_need", "need_note", "updated_at"])
    refresh(request)
    audit_request(actor, request, "waiting.need", {"need": need})
    return request


def waiting_list(practice, show: str = "", now=None):
    """Open requests, first in line first, filtered as the page asks."""
    now = now or timezone.now()
    weights = weights_for(practice)
    requests = AccessRequest.objects.filter(practice=practice, on_list=True)
    if show == "past_target":
        requests = requests.filter(received_at__lt=now - timezone.timedelta(days=weights.target_days))
    elif show == "flagged":
        requests = requests.filter(risk_flag=True)
    elif show == "need":
        requests = requests.filter(has_need=True)
    return requests.order_by("-priority_key", "id"), weights
