"""Setting time aside for conversations about records access, and booking it without ever over-booking."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.conversations.models import Booking, Invitation, Kind, Mode, Slot
from recordaccess.core.codes import random_code
from recordaccess.core.errors import DomainError
from recordaccess.outreach import direct
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.selectors import nhs_help

MAX_MINUTES = 240
MAX_PLACES = 50


class BookingError(DomainError):
    """Why a slot could not be set up or booked, for the person doing it."""


def create_slot(
    *,
    actor: Actor,
    practice,
    host: str,
    starts_at: datetime.datetime,
    minutes: int,
    mode: str,
    kind: str = Kind.CONVERSATION,
    places: int = 1,
    where: str = "",
    now: datetime.datetime | None = None,
) -> Slot:
    now = now or timezone.now()
    if not host.strip():
        raise BookingError("Enter who will hold the conversation")
    if mode not in Mode.values:
        raise BookingError("Choose in person, phone or video")
    if kind not in Kind.values:
        raise BookingError("Choose a conversation or a drop-in session")
    if starts_at <= now:
        raise BookingError("The start must be in the future")
    if not 5 <= minutes <= MAX_MINUTES:
        raise BookingError(f"The length must be between 5 and {MAX_MINUTES} minutes")
    if kind == Kind.CONVERSATION and places != 1:
        raise BookingError("A conversation is with one patient: a drop-in session can take more")
    if not 1 <= places <= MAX_PLACES:
        raise BookingError(f"The places must be between 1 and {MAX_PLACES}")
    private = sorted({m.group(0).lower() for m in PRIVATE_WORDS.finditer(where)})
    if private:
        # Where goes into every booking's text, and texts carry no clinical or risk detail (H85).
        raise BookingError(
            f"Where is sent in texts, which must not say anything clinical: take out {', '.join(private)}"
        )
    slot = Slot.objects.create(
        practice=practice,
        kind=kind,
        host=host.strip()[:150],
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        places=places,
        where=where.strip()[:200],
        created_by=actor.name,
    )
    record(
        actor=actor,
        action="slot.create",
        practice_ods=practice.ods_code,
        object_type="slot",
        object_id=slot.pk,
        detail={"kind": kind, "starts_at": starts_at.isoformat(), "places": places},
    )
    return slot


def invite(practice, request=None) -> Invitation:
    return Invitation.objects.create(practice=practice, request=request, code=random_code(12))


def invitation_link(invitation: Invitation) -> str:
    path = reverse("book", kwargs={"ods": invitation.practice.ods_code, "code": invitation.code})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def book(
    *,
    actor: Actor,
    practice,
    slot_id: int,
    name: str,
    contact_by: str = "",
    mobile: str = "",
    email: str = "",
    invitation: Invitation | None = None,
    request=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Take one place in a slot. The place is counted by a conditional UPDATE (booked < places), so of two
    people booking the last place at once, one gets it and the other is told it has gone."""
    now = now or timezone.now()
    if not name.strip():
        raise BookingError("Enter the name of the person the conversation is with")
    request = request or (invitation.request if invitation else None)
    try:
        with transaction.atomic():
            refuse_a_second_booking(actor, practice, request)
            if not take_place(practice, slot_id, now):
                raise BookingError("That time has just been taken or has passed: choose another time")
            booking = Booking.objects.create(
                slot_id=slot_id,
                practice=practice,
                invitation=invitation,
                request=request,
                name=name.strip()[:200],
                contact_by=contact_by,
                mobile=mobile,
                email=email,
                booked_by="patient" if actor.id is None else actor.name,
            )
    except IntegrityError as error:
        refuse_a_second_booking(actor, practice, request)  # someone booked for the request at the same moment
        raise BookingError("You have already booked a time: cancel it first to choose another") from error
    record(
        actor=actor,
        action="slot.book",
        practice_ods=practice.ods_code,
        object_type="booking",
        object_id=booking.pk,
        detail={"slot": slot_id, "by": booking.booked_by},
    )
    booking = Booking.objects.select_related("slot", "practice").get(pk=booking.pk)
    tell(booking, "BKG", "is booked for")
    return booking


def take_place(practice, slot_id: int, now: datetime.datetime, *, kind: str | None = None) -> bool:
    """Count one more booking in the slot if it has a place left, in the statement that checks it: of two people
    taking the last place at once, one gets it (True) and the other does not (False). Call it inside the
    transaction that creates the booking, so a booking refused afterwards gives the place back."""
    slots = Slot.objects.filter(
        pk=slot_id, practice=practice, cancelled=False, starts_at__gt=now, booked__lt=F("places")
    )
    if kind is not None:
        slots = slots.filter(kind=kind)
    return bool(slots.update(booked=F("booked") + 1))


def refuse_a_second_booking(actor: Actor, practice, request) -> None:
    """One booking per request (H66): a patient who books again after staff booked for them would hold two
    places and be called twice. The patient is told to call, staff are told to cancel the first one."""
    if request is None:
        return
    booked = Booking.objects.filter(request=request, cancelled_at=None).select_related("slot").first()
    if booked is None:
        return
    if actor.id is None:
        phone = f" on {practice.phone}" if practice.phone else ""
        raise BookingError(f"You already have a booking on {when(booked.slot)}; to change it, call us{phone}")
    raise BookingError(
        f"{booked.name} already has a booking on {when(booked.slot)}: cancel it before booking another time"
    )


def cancel(*, actor: Actor, practice, booking_id: int) -> Booking:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(practice=practice, pk=booking_id, cancelled_at=None)
            .first()
        )
        if booking is None:
            raise BookingError("That booking has already been cancelled")
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
        Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    record(
        actor=actor,
        action="slot.cancel",
        practice_ods=practice.ods_code,
        object_type="booking",
        object_id=booking.pk,
        detail={"slot": booking.slot_id},
    )
    return booking


def when(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def tell(booking: Booking, prefix: str, verb: str) -> None:
    """A text or email about the booking (never what it is about beyond 'your GP record online'), once: the
    reference is the prefix and the booking's id, so asking again queues nothing more (H27, H83)."""
    channel = booking.contact_by if booking.contact_by in ("sms", "email") else ""
    if not channel or not (booking.mobile if channel == "sms" else booking.email):
        return
    practice, slot = booking.practice, booking.slot
    if slot.kind == Kind.DROP_IN:
        where = f", {slot.where}" if slot.where else ""
        parts = [
            f"{practice.name}: your place at the drop-in session about seeing your GP record online {verb} "
            f"{when(slot)} ({slot.get_mode_display().lower()}{where}, {slot.minutes} minutes)."
        ]
    else:
        parts = [
            f"{practice.name}: your conversation about seeing your GP record online {verb} {when(slot)} "
            f"({slot.get_mode_display().lower()}, {slot.minutes} minutes)."
        ]
    if booking.invitation:
        parts.append(f"To change or cancel it: {invitation_link(booking.invitation)}")
    elif booking.cancel_code:
        parts.append(f"To cancel your place: {place_link(booking)}")
    if practice.phone:
        parts.append(f"If you cannot make it, call us on {practice.phone}.")
    parts.append(nhs_help(practice))
    body = " ".join(parts)
    direct.queue(
        practice=practice,
        reference=f"{prefix}-{booking.pk}",
        channel=channel,
        to=direct.address(channel=channel, mobile=booking.mobile, email=booking.email),
        subject="Your drop-in session about your GP record online"
        if slot.kind == Kind.DROP_IN
        else "Your conversation about your GP record online",
        body=body,
    )


def place_link(booking: Booking) -> str:
    """The link in a drop-in booking's texts that shows the place and cancels it: its random code, nothing else."""
    path = reverse("drop_ins:place", kwargs={"ods": booking.practice.ods_code, "code": booking.cancel_code})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def due_reminders(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Booking.objects.select_related("slot", "practice", "invitation").filter(
        cancelled_at=None,
        reminded=False,
        slot__cancelled=False,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS),
    )
