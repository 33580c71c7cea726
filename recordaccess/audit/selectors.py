"""Reading the audit trail for a practice's administrators."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from recordaccess.audit.models import AuditEntry


def practice_trail(
    practice,
    *,
    patient_id: int | None = None,
    actor_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """The practice's entries, plus sign-in events of its own staff (those belong to no practice)."""
    staff_ids = practice.memberships.values("user_id")
    entries = AuditEntry.objects.filter(
        Q(practice_ods=practice.ods_code) | Q(practice_ods="", actor_id__in=staff_ids)
    )
    if patient_id is not None:
        entries = entries.filter(patient_id=patient_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if date_from is not None:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to is not None:
        entries = entries.filter(
            at__lt=timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
        )
    return entries.order_by("-seq")
