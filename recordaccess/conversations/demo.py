"""Demo conversation times: a fortnight of slots, two mornings a week, and drop-in sessions: one to come with
places booked online, and one held last week with who came and what they asked."""

import datetime

from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.conversations import drop_ins, services
from recordaccess.conversations.models import Attendance, Booking, Kind, Mode, Slot

STAFF = Actor.system("demo-reception")
PUBLIC = Actor.system("demo-public")
# Ofcom's drama numbers (07700 900xxx, 0113 496 0xxx): they reach no one.
UPCOMING_PLACES = [
    ("Margaret Hill", "07700 900501"),
    ("Tom Baker", "07700 900502"),
    ("Priya Shah", "0113 496 0501"),
    ("Olu Adeyemi", "07700 900503"),
]
PAST_PLACES = [
    ("Jean Walsh", "0113 496 0511", Attendance.ATTENDED, "Asked how to see letters from the hospital."),
    ("Dev Patel", "0113 496 0513", Attendance.ATTENDED, ""),
    ("Ruth Collins", "0113 496 0512", Attendance.DID_NOT_COME, ""),
]


def load(*, practice, report) -> None:
    if not Slot.objects.filter(practice=practice).exists():
        _conversation_times(practice, report)
    if not Booking.objects.filter(practice=practice, booked_by="online").exists():
        _drop_in_bookings(practice, report)


def _at(days: int, hour: int) -> datetime.datetime:
    date = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def _conversation_times(practice, report) -> None:
    today = timezone.localdate()
    made = 0
    for day in range(1, 15):
        date = today + datetime.timedelta(days=day)
        if date.weekday() not in (1, 3):
            continue
        for hour, minute in ((9, 0), (9, 20), (9, 40), (10, 0)):
            start = timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))
            services.create_slot(
                actor=STAFF, practice=practice, host="Dr Patel", starts_at=start, minutes=15, mode=Mode.PHONE
            )
            made += 1
    services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Practice team",
        starts_at=_at(7, 14),
        minutes=120,
        mode=Mode.IN_PERSON,
        kind=Kind.DROP_IN,
        places=20,
        where="Community room",
    )
    report("conversation times", made + 1)


def _drop_in_bookings(practice, report) -> None:
    """Places booked online at the next drop-in; and last week's session (set up and booked as it was then),
    with who came and what they asked."""
    upcoming = Slot.objects.filter(
        practice=practice, kind=Kind.DROP_IN, cancelled=False, starts_at__gt=timezone.now()
    ).first()
    if upcoming is None:
        return
    booked = 0
    for name, phone in UPCOMING_PLACES:
        drop_ins.book_place(practice=practice, slot_id=upcoming.pk, name=name, phone=phone, actor=PUBLIC)
        booked += 1
    held = _at(-7, 14)
    past = services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Practice team",
        starts_at=held,
        minutes=120,
        mode=Mode.IN_PERSON,
        kind=Kind.DROP_IN,
        places=10,
        where="Community room",
        now=held - datetime.timedelta(days=14),
    )
    for name, phone, attendance, note in PAST_PLACES:
        place = drop_ins.book_place(
            practice=practice,
            slot_id=past.pk,
            name=name,
            phone=phone,
            actor=PUBLIC,
            now=held - datetime.timedelta(days=3),
        )
        drop_ins.record_attendance(
            actor=STAFF, practice=practice, booking_id=place.pk, attendance=attendance, note=note
        )
        booked += 1
    drop_ins.note_session(
        actor=STAFF,
        practice=practice,
        slot_id=past.pk,
        note="Most questions were about seeing hospital letters and turning access on for a teenager.",
    )
    report("drop-in places booked", booked)
