"""Keeping each request's place on the waiting list up to date, and marking clinical need."""

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.intake.models import AccessRequest, RequestStatus
from recordaccess.intake.services import audit_request
from recordaccess.patients.flags import patient_needs_review
from recordaccess.review import priority
from recordaccess.review.models import WaitingListPolicy


class ReviewError(DomainError):
    """Something that cannot be done in review, with a message for the person doing it."""


def policy_for(practice) -> WaitingListPolicy:
    """The practice's waiting-list policy, or the defaults when it has not set one."""
    return WaitingListPolicy.objects.filter(practice=practice).first() or WaitingListPolicy()


def weights_for(practice) -> priority.Weights:
    return priority.Weights.of(policy_for(practice))


def refresh(request: AccessRequest, weights: priority.Weights | None = None) -> AccessRequest:
    """Work out the request's risk flag and priority key again, and save them."""
    weights = weights or weights_for(request.practice)
    request.risk_flag = patient_needs_review(request.patient_id)
    request.has_need = bool(request.clinical_need)
    points = priority.base(
        need=request.clinical_need,
        risk_flag=request.risk_flag,
        access_level=request.access_level,
        weights=weights,
    )
    request.priority_key = priority.key(base_points=points, received_at=request.received_at, weights=weights)
    AccessRequest.objects.filter(pk=request.pk).update(
        risk_flag=request.risk_flag, has_need=request.has_need, priority_key=request.priority_key
    )
    return request


def follow_flags(*, patient_ids, **kwargs) -> None:
    """Patients' flags changed: their undecided requests take their new places on the waiting list."""
    ids = list(patient_ids)
    for start in range(0, len(ids), 5000):
        requests = AccessRequest.objects.filter(patient_id__in=ids[start : start + 5000]).exclude(
            status=RequestStatus.DECIDED
        )
        for request in requests.select_related("practice"):
            refresh(request)


@transaction.atomic
def mark_need(*, actor: Actor, request: AccessRequest, need: str, note: str) -> AccessRequest:
    if need and need not in priority.NEEDS:
        raise ReviewError("Choose a clinical need from the list.")
    request.clinical_need, request.need_note = need, note.strip()[:300]
    request.save(update_fields=["clinical_need", "need_note", "updated_at"])
    refresh(request)
    audit_request(actor, request, "waiting.need", {"need": need})
    return request


@transaction.atomic
def save_policy(*, actor: Actor, practice, **values) -> WaitingListPolicy:
    """Change the weights or target, then put every open request in its new place."""
    policy, _ = WaitingListPolicy.objects.get_or_create(practice=practice)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    weights = priority.Weights.of(policy)
    batch = []
    for request in (
        AccessRequest.objects.filter(practice=practice)
        .only("pk", "clinical_need", "risk_flag", "access_level", "received_at")
        .iterator(chunk_size=5000)
    ):
        points = priority.base(
            need=request.clinical_need,
            risk_flag=request.risk_flag,
            access_level=request.access_level,
            weights=weights,
        )
        request.priority_key = priority.key(
            base_points=points, received_at=request.received_at, weights=weights
        )
        batch.append(request)
        if len(batch) >= 5000:
            AccessRequest.objects.bulk_update(batch, ["priority_key"])
            batch.clear()
    AccessRequest.objects.bulk_update(batch, ["priority_key"])
    record(
        actor=actor,
        action="waiting.policy",
        practice_ods=practice.ods_code,
        object_type="waiting_list_policy",
        object_id=policy.pk,
        detail={k: v for k, v in values.items()},
    )
    return policy


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
