"""Reading time set aside and its bookings: always within one practice (or one patient's own link)."""

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from recordaccess.conversations.models import Attendance, Booking, Invitation, Kind, Slot
from recordaccess.core.codes import normalise
from recordaccess.core.scoping import one_for_practice

ATTENDED = Count("bookings", filter=Q(bookings__cancelled_at=None, bookings__attendance=Attendance.ATTENDED))


def upcoming_slots(practice) -> QuerySet[Slot]:
    """From an hour ago on, so a conversation under way is still listed; with how many came (`attended`)."""
    return (
        Slot.objects.filter(practice=practice, starts_at__gte=timezone.now() - timezone.timedelta(hours=1))
        .annotate(attended=ATTENDED)
        .order_by("starts_at", "id")[:200]
    )


def past_drop_ins(practice, *, days: int = 90) -> QuerySet[Slot]:
    """Drop-in sessions of the last `days` days, latest first, with how many came (`attended`) of those booked."""
    now = timezone.now()
    return (
        Slot.objects.filter(
            practice=practice,
            kind=Kind.DROP_IN,
            starts_at__lt=now - timezone.timedelta(hours=1),
            starts_at__gte=now - datetime.timedelta(days=days),
        )
        .annotate(attended=ATTENDED)
        .order_by("-starts_at", "-id")[:50]
    )


def upcoming_drop_ins(practice, *, now: datetime.datetime | None = None) -> list[Slot]:
    """The practice's drop-in sessions still to come, soonest first, as the public sees them: cancelled and
    started ones left out, full ones kept (shown as full). Each slot's `free` is its places left."""
    now = now or timezone.now()
    return list(
        Slot.objects.filter(
            practice=practice, kind=Kind.DROP_IN, cancelled=False, starts_at__gt=now
        ).order_by("starts_at", "id")[:50]
    )


def drop_in_to_book(practice, slot_id: int, *, now: datetime.datetime | None = None) -> Slot:
    """A session the public may open to book: one of this practice's drop-ins, not cancelled, still to come
    (full or not). Anything else is not found."""
    now = now or timezone.now()
    sessions = Slot.objects.filter(kind=Kind.DROP_IN, cancelled=False, starts_at__gt=now)
    return one_for_practice(sessions, practice, slot_id)


def slot_bookings(slot: Slot) -> QuerySet[Booking]:
    """The live bookings of a slot the caller has already found in its practice."""
    return (
        slot.bookings.filter(cancelled_at=None, practice_id=slot.practice_id)
        .select_related("request")
        .order_by("created_at", "id")
    )


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


def place_by_code(ods: str, code: str) -> Booking | None:
    """The place a link shows: found by its code alone, within the practice of the link."""
    cleaned = normalise(code)
    if not cleaned or len(cleaned) > 16:
        return None
    return (
        Booking.objects.select_related("slot", "practice")
        .filter(practice__ods_code=ods.upper(), cancel_code=cleaned)
        .first()
    )


# --- The dashboard's figures (reports/refresh.py): places, never who booked. ---


def places_by_day(practice) -> list[tuple[datetime.date, int, int]]:
    """(day, places offered, places booked) of the slots and drop-ins held each day, leaving out cancelled slots
    and cancelled bookings."""
    offered = dict(
        Slot.objects.filter(practice=practice, cancelled=False)
        .annotate(day=TruncDate("starts_at"))
        .values_list("day")
        .annotate(n=Sum("places"))
        .order_by()
    )
    used = dict(
        Booking.objects.filter(practice=practice, cancelled_at=None, slot__cancelled=False)
        .annotate(day=TruncDate("slot__starts_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(day, offered.get(day, 0), used.get(day, 0)) for day in sorted({*offered, *used})]
