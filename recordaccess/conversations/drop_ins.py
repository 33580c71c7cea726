"""Drop-in sessions as the public books them, and as staff record them afterwards.

Anyone may book a place with a name and a phone number: no account, no NHS number, and no look-up of the
register, so nothing here says whether someone is a patient. A place is taken by the same statement that books a
conversation (`services.take_place`), so a session is never over-booked; one phone number holds one place in a
session (the database holds it too); the confirmation and the reminder go through the one message path under a
reference per booking, so each is sent once. The place's link carries a random code that shows and cancels it."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.conversations.models import NOTE_MAX, Attendance, Booking, Kind, Slot
from recordaccess.conversations.services import BookingError, take_place, tell
from recordaccess.core.codes import random_code
from recordaccess.patients.contacts import ContactError, normalise_uk_phone

NAME_MAX = 100
CONFIRMATION = "DRP"  # the confirmation text's reference: DRP-<booking id>


class SessionFull(BookingError):
    """The last place went to someone else (or the session closed) while this person was booking."""


class AlreadyBooked(BookingError):
    """This phone number already holds a place at this session."""


def clean_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise BookingError("Enter your name")
    if len(name) > NAME_MAX:
        raise BookingError(f"Your name must be {NAME_MAX} characters or fewer")
    return name


def clean_phone(value: str) -> str:
    """A UK number we can call back; texts go to it when it is a mobile."""
    if not value.strip():
        raise BookingError("Enter a UK phone number, like 07700 900123")
    try:
        return normalise_uk_phone(value)
    except ContactError as problem:
        raise BookingError(f"{problem}: enter a UK phone number, like 07700 900123") from problem


def book_place(
    *, practice, slot_id: int, name: str, phone: str, actor: Actor, now: datetime.datetime | None = None
) -> Booking:
    """Book one place at a drop-in session for whoever asks. Raises BookingError for a bad name or number,
    AlreadyBooked if the number has a place at this session, SessionFull if no place is left."""
    now = now or timezone.now()
    problems = []
    try:
        name = clean_name(name)
    except BookingError as problem:
        problems.append(("name", str(problem)))
    try:
        phone = clean_phone(phone)
    except BookingError as problem:
        problems.append(("phone", str(problem)))
    if problems:
        raise BookingError(errors=problems)
    mobile = phone if phone.startswith("07") else ""
    try:
        with transaction.atomic():
            if Booking.objects.filter(
                slot_id=slot_id, practice=practice, phone=phone, cancelled_at=None
            ).exists():
                raise AlreadyBooked("You already have a place at this session")
            if not take_place(practice, slot_id, now, kind=Kind.DROP_IN):
                raise SessionFull("This session is now full")
            booking = Booking.objects.create(
                slot_id=slot_id,
                practice=practice,
                name=name,
                contact_by="sms" if mobile else "",
                mobile=mobile,
                phone=phone,
                cancel_code=random_code(12),
                booked_by="online",
            )
            record(
                actor=actor,
                action="drop_in.book",
                practice_ods=practice.ods_code,
                object_type="booking",
                object_id=booking.pk,
                detail={"slot": slot_id, "by": "online"},
            )
    except IntegrityError as error:  # the same number booking this session at the same moment
        raise AlreadyBooked("You already have a place at this session") from error
    booking = Booking.objects.select_related("slot", "practice").get(pk=booking.pk)
    tell(booking, CONFIRMATION, "is booked for")
    return booking


def cancel_place(*, booking: Booking, actor: Actor, now: datetime.datetime | None = None) -> bool:
    """Give the place back, once, before the session starts: True if this call cancelled it."""
    now = now or timezone.now()
    with transaction.atomic():
        cancelled = Booking.objects.filter(pk=booking.pk, cancelled_at=None, slot__starts_at__gt=now).update(
            cancelled_at=now
        )
        if not cancelled:
            return False
        Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        record(
            actor=actor,
            action="drop_in.cancel",
            practice_ods=booking.practice.ods_code,
            object_type="booking",
            object_id=booking.pk,
            detail={"slot": booking.slot_id, "by": "link"},
        )
    return True


def clean_note(value: str) -> str:
    note = value.strip()
    if len(note) > NOTE_MAX:
        raise BookingError(f"The note must be {NOTE_MAX:,} characters or fewer (it has {len(note):,})")
    return note


def record_attendance(
    *,
    actor: Actor,
    practice,
    booking_id: int,
    attendance: str,
    note: str,
    now: datetime.datetime | None = None,
) -> Booking:
    """Whether the person came, and what they asked, for one booking of the practice."""
    now = now or timezone.now()
    if attendance not in Attendance.values:
        raise BookingError(errors=[("attendance", "Choose whether they came")])
    note = clean_note(note)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("slot")
            .filter(practice=practice, pk=booking_id)
            .first()
        )
        if booking is None or booking.cancelled_at is not None:
            raise BookingError("That booking has been cancelled")
        if attendance and booking.slot.starts_at > now:
            raise BookingError(errors=[("attendance", "You can say who came once the session has started")])
        changed = {"attendance": attendance != booking.attendance, "note": note != booking.note}
        booking.attendance, booking.note = attendance, note
        booking.save(update_fields=["attendance", "note"])
        record(
            actor=actor,
            action="booking.attendance",
            practice_ods=practice.ods_code,
            object_type="booking",
            object_id=booking.pk,
            # The note's words stay on the booking: the trail says that it changed, not what it says.
            detail={
                "attendance": attendance or "not marked",
                "note_changed": changed["note"],
                "note_chars": len(note),
            },
        )
    return booking


def note_session(*, actor: Actor, practice, slot_id: int, note: str) -> Slot:
    """What people asked at the session as a whole."""
    note = clean_note(note)
    with transaction.atomic():
        updated = Slot.objects.filter(practice=practice, pk=slot_id).update(note=note)
        if not updated:
            raise BookingError("That session is not this practice's")
        record(
            actor=actor,
            action="slot.note",
            practice_ods=practice.ods_code,
            object_type="slot",
            object_id=slot_id,
            detail={"note_chars": len(note)},
        )
    return Slot.objects.get(pk=slot_id)
