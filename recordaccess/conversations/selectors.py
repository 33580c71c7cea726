"""Reading time set aside and its bookings: always within one practice (or one patient's own link)."""

import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from recordaccess.conversations.models import Booking, Invitation, Slot
from recordaccess.core.codes import normalise
from recordaccess.core.scoping import one_for_practice


def upcoming_slots(practice) -> QuerySet[Slot]:
    """From an hour ago on, so a conversation under way is still listed."""
    return Slot.objects.filter(
        practice=practice, starts_at__gte=timezone.now() - timezone.timedelta(hours=1)
    ).order_by("starts_at", "id")[:200]


def slot_for_practice(practice, slot_id: int) -> Slot:
    return one_for_practice(Slot.objects.all(), practice, slot_id)


def booking_for_practice(practice, booking_id: int) -> Booking:
    return one_for_practice(Booking.objects.all(), practice, booking_id)


def free_slots(practice, *, now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Slot.objects.filter(
        practice=practice, cancelled=False, starts_at__gt=now, booked__lt=F("places")
    ).order_by("starts_at", "id")


def find_invitation(ods: str, code: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("practice", "request")
        .filter(practice__ods_code=ods.upper(), code=normalise(code))
        .first()
    )


def live_booking(invitation: Invitation) -> Booking | None:
    """The booking made through this link or, failing that, the one staff made for the same request: the
    patient sees the time they have, not times to book a second one."""
    own = invitation.bookings.select_related("slot").filter(cancelled_at=None).first()
    if own is not None or invitation.request_id is None:
        return own
    return (
        Booking.objects.select_related("slot")
        .filter(request_id=invitation.request_id, cancelled_at=None)
        .first()
    )


def bookings_today(practice, user=None) -> int:
    """Conversations and drop-in places booked for today and not cancelled (the slots' time index)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Booking.objects.filter(
        practice=practice,
        cancelled_at=None,
        slot__practice=practice,
        slot__cancelled=False,
        slot__starts_at__gte=start,
        slot__starts_at__lt=start + datetime.timedelta(days=1),
    ).count()
