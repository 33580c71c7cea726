"""Setting time aside (staff) and booking it (patients by their link, or staff for them)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.conversations import drop_ins, limits, selectors, services
from recordaccess.conversations.forms import (
    AttendanceForm,
    DropInBookingForm,
    SessionNoteForm,
    SlotForm,
    StaffBookingForm,
)
from recordaccess.conversations.models import Kind, Slot
from recordaccess.core.errors import show_on_form
from recordaccess.core.network import client_address
from recordaccess.intake.security import come_back_time, too_many, within_limits
from recordaccess.intake.selectors import request_by_reference
from recordaccess.practices.selectors import practice_by_ods


def slots(request: HttpRequest, ods: str) -> HttpResponse:
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                made = [
                    services.create_slot(
                        actor=Actor.from_request(request),
                        practice=request.practice,
                        host=form.cleaned_data["host"],
                        starts_at=start,
                        minutes=form.cleaned_data["minutes"],
                        mode=form.cleaned_data["mode"],
                        kind=form.cleaned_data["kind"],
                        places=form.cleaned_data["places"],
                        where=form.cleaned_data["where"],
                    )
                    for start in form.starts()
                ]
            messages.success(request, f"{len(made)} time{'s' if len(made) != 1 else ''} set aside.")
            return redirect("staff:slots", ods=ods)
        except services.BookingError as error:
            show_on_form(form, error)
    upcoming = selectors.upcoming_slots(request.practice)
    return render(
        request,
        "conversations/slots.jinja",
        {"form": form, "slots": upcoming, "past": selectors.past_drop_ins(request.practice)},
        status=400 if form.errors else 200,
    )


def _slot(request: HttpRequest, slot_id: int) -> Slot:
    return selectors.slot_for_practice(request.practice, slot_id)


def slot_detail(
    request: HttpRequest,
    ods: str,
    slot_id: int,
    form=None,
    refused: tuple[int, AttendanceForm] | None = None,
    note_form=None,
) -> HttpResponse:
    """A slot and its bookings; for each booking, whether they came and what they asked; a note for the whole
    session. `refused` is a booking's attendance form shown again with its errors."""
    slot = _slot(request, slot_id)
    record_request(request, "slot.view", object_type="slot", object_id=slot.pk)
    bookings = list(selectors.slot_bookings(slot))
    attendance = {
        b.pk: (
            refused[1]
            if refused and refused[0] == b.pk
            else AttendanceForm(prefix=f"b{b.pk}", initial={"attendance": b.attendance, "note": b.note})
        )
        for b in bookings
    }
    bad = any(each is not None and each.errors for each in (form, note_form, refused[1] if refused else None))
    return render(
        request,
        "conversations/slot.jinja",
        {
            "slot": slot,
            "bookings": bookings,
            "form": form or StaffBookingForm(),
            "attendance": attendance,
            "refused": refused[1] if refused else None,
            "note_form": note_form or SessionNoteForm(prefix="session", initial={"note": slot.note}),
            "started": slot.starts_at <= timezone.now(),
        },
        status=400 if bad else 200,
    )


@require_POST
def booking_attendance(request: HttpRequest, ods: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_practice(request.practice, booking_id)
    form = AttendanceForm(request.POST, prefix=f"b{booking.pk}")
    if form.is_valid():
        try:
            drop_ins.record_attendance(
                actor=Actor.from_request(request),
                practice=request.practice,
                booking_id=booking.pk,
                attendance=form.cleaned_data["attendance"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Saved for {booking.name}.")
            return redirect("staff:slot", ods=ods, slot_id=booking.slot_id)
        except services.BookingError as error:
            show_on_form(form, error, field="note")
    return slot_detail(request, ods, booking.slot_id, refused=(booking.pk, form))


@require_POST
def slot_note(request: HttpRequest, ods: str, slot_id: int) -> HttpResponse:
    slot = _slot(request, slot_id)
    form = SessionNoteForm(request.POST, prefix="session")
    if form.is_valid():
        try:
            drop_ins.note_session(
                actor=Actor.from_request(request),
                practice=request.practice,
                slot_id=slot.pk,
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Note saved.")
            return redirect("staff:slot", ods=ods, slot_id=slot.pk)
        except services.BookingError as error:
            show_on_form(form, error, field="note")
    return slot_detail(request, ods, slot.pk, note_form=form)


@require_POST
def slot_book(request: HttpRequest, ods: str, slot_id: int) -> HttpResponse:
    slot = _slot(request, slot_id)
    form = StaffBookingForm(request.POST)
    if form.is_valid():
        item = request_by_reference(request.practice, form.cleaned_data["reference"])
        if item is None:
            form.add_error("reference", "There is no request with that reference at this practice")
        else:
            try:
                services.book(
                    actor=Actor.from_request(request),
                    practice=request.practice,
                    slot_id=slot.pk,
                    name=f"{item.given_name} {item.family_name}",
                    contact_by=item.contact_by,
                    mobile=item.mobile,
                    email=item.email,
                    request=item,
                )
                messages.success(request, f"Booked for {item.given_name} {item.family_name}.")
                return redirect("staff:slot", ods=ods, slot_id=slot.pk)
            except services.BookingError as error:
                show_on_form(form, error)
    return slot_detail(request, ods, slot_id, form=form)


@require_POST
def booking_cancel(request: HttpRequest, ods: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_practice(request.practice, booking_id)
    try:
        services.cancel(actor=Actor.from_request(request), practice=request.practice, booking_id=booking.pk)
        messages.success(request, "Booking cancelled: the place is free again.")
    except services.BookingError as error:
        messages.error(request, str(error))
    return redirect("staff:slot", ods=ods, slot_id=booking.slot_id)


def book(request: HttpRequest, ods: str, code: str) -> HttpResponse:
    """A patient books (or cancels) their conversation from the link in their message. The page shows times
    and the booking, never who the patient is; a wrong code looks like any page not found."""
    invitation = selectors.find_invitation(ods, code)
    if invitation is None:
        return render(request, "intake/reply_unknown.jinja", {"practice": None}, status=404)
    practice = invitation.practice
    error, status = "", 200
    if request.method == "POST":
        if not within_limits(request, practice, "status"):
            return too_many(request, practice)
        actor = Actor(id=None, name="patient", ip_address=client_address(request) or None)
        try:
            if request.POST.get("action") == "cancel":
                booking = selectors.live_booking(invitation)
                if booking and booking.invitation_id == invitation.pk:
                    services.cancel(actor=actor, practice=practice, booking_id=booking.pk)
                return redirect("book", ods=ods, code=invitation.code)
            slot_id = request.POST.get("slot", "")
            if not slot_id.isdigit():
                raise services.BookingError("Choose a time")
            item = invitation.request
            services.book(
                actor=actor,
                practice=practice,
                slot_id=int(slot_id),
                name=f"{item.given_name} {item.family_name}" if item else "Patient",
                contact_by=item.contact_by if item else "",
                mobile=item.mobile if item else "",
                email=item.email if item else "",
                invitation=invitation,
            )
            return redirect("book", ods=ods, code=invitation.code)
        except services.BookingError as problem:
            error, status = str(problem), 400
    booking = selectors.live_booking(invitation)
    free = [] if booking else selectors.free_slots(practice)[:40]
    return render(
        request,
        "conversations/book.jinja",
        {
            "practice": practice,
            "invitation": invitation,
            "booking": booking,
            "slots": [
                {
                    "value": slot.pk,
                    "text": services.when(slot),
                    "hint": {
                        "text": f"{'Drop-in session: ' if slot.kind == Kind.DROP_IN else ''}"
                        f"{slot.get_mode_display()}, {slot.minutes} minutes, with {slot.host}"
                    },
                }
                for slot in free
            ],
            "error": error,
            "when": services.when,
        },
        status=status,
    )


def _public_practice(ods: str):
    practice = practice_by_ods(ods)
    if practice is None:
        raise Http404("No such practice")
    return practice


def _slow_down(request, practice) -> HttpResponse:
    return render(
        request,
        "conversations/drop_in_too_many.jinja",
        {"practice": practice, "come_back": come_back_time(timezone.now())},
        status=429,
    )


def drop_in_list(request: HttpRequest, ods: str, *, full: bool = False) -> HttpResponse:
    """The practice's drop-in sessions still to come: open to anyone, the same whoever asks. `full`: the
    session this person tried to book filled up while they were booking it."""
    practice = _public_practice(ods)
    return render(
        request,
        "conversations/drop_ins.jinja",
        {"practice": practice, "sessions": selectors.upcoming_drop_ins(practice), "full": full},
        status=400 if full else 200,
    )


def drop_in_book(request: HttpRequest, ods: str, slot_id: int) -> HttpResponse:
    """Book a place with a name and a phone number. Nothing here looks at the register, so the page answers
    the same for a patient and for anyone else."""
    practice = _public_practice(ods)
    session = selectors.drop_in_to_book(practice, slot_id)
    form = DropInBookingForm(request.POST or None)
    already = False
    if request.method == "POST":
        if not limits.client_allows(request):
            return _slow_down(request, practice)
        if form.is_valid():
            if not limits.phone_allows(form.cleaned_data["phone"]):
                return _slow_down(request, practice)
            try:
                booking = drop_ins.book_place(
                    practice=practice,
                    slot_id=session.pk,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    actor=Actor(id=None, name="public", ip_address=client_address(request) or None),
                )
                return redirect("drop_ins:place", ods=practice.ods_code, code=booking.cancel_code)
            except drop_ins.AlreadyBooked:
                already = True
            except drop_ins.SessionFull:
                return drop_in_list(request, ods, full=True)
            except services.BookingError as error:
                show_on_form(form, error)
    return render(
        request,
        "conversations/drop_in_book.jinja",
        {"practice": practice, "session": session, "form": form, "already": already, "when": services.when},
        status=400 if form.errors else 200,
    )


def drop_in_place(request: HttpRequest, ods: str, code: str) -> HttpResponse:
    """The place a text's link shows, and the button that gives it back. The page names the session, never
    the person or their number (whoever holds the link may be someone else)."""
    booking = selectors.place_by_code(ods, code)
    if booking is None:
        return render(request, "conversations/place_unknown.jinja", {"practice": None}, status=404)
    if request.method == "POST":
        if not limits.client_allows(request):
            return _slow_down(request, booking.practice)
        actor = Actor(id=None, name="public", ip_address=client_address(request) or None)
        if request.POST.get("action") == "cancel" and drop_ins.cancel_place(booking=booking, actor=actor):
            messages.success(request, "Your place is cancelled.")
        return redirect("drop_ins:place", ods=booking.practice.ods_code, code=booking.cancel_code)
    return render(
        request,
        "conversations/drop_in_place.jinja",
        {
            "practice": booking.practice,
            "booking": booking,
            "session": booking.slot,
            "when": services.when,
            "texted": bool(booking.mobile),
            "past": booking.slot.starts_at <= timezone.now(),
        },
    )
