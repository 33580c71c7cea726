"""The waiting list's order, kept on each request (its risk flag, need and priority key) as the request, the
patient's flags or the practice's policy change. It lives beside the columns it fills (intake/models.py); the
pure arithmetic is in priority.py, and review's pages read the list in this order."""

from django.db import transaction

from recordaccess.audit.services import Actor, record
from recordaccess.intake import priority
from recordaccess.intake.models import AccessRequest, RequestStatus, WaitingListPolicy
from recordaccess.patients.flags import patient_needs_review


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
