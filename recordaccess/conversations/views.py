"""Setting time aside (staff) and booking it (patients by their link, or staff for them)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.conversations import selectors, services
from recordaccess.conversations.forms import SlotForm, StaffBookingForm
from recordaccess.conversations.models import Kind, Slot
from recordaccess.core.errors import show_on_form
from recordaccess.core.network import client_address
from recordaccess.intake.security import too_many, within_limits
from recordaccess.intake.selectors import request_by_reference


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
        {"form": form, "slots": upcoming},
        status=400 if form.errors else 200,
    )


def _slot(request: HttpRequest, slot_id: int) -> Slot:
    return selectors.slot_for_practice(request.practice, slot_id)


def slot_detail(request: HttpRequest, ods: str, slot_id: int, form=None) -> HttpResponse:
    slot = _slot(request, slot_id)
    record_request(request, "slot.view", object_type="slot", object_id=slot.pk)
    bookings = slot.bookings.filter(cancelled_at=None).select_related("request")
    return render(
        request,
        "conversations/slot.jinja",
        {"slot": slot, "bookings": bookings, "form": form or StaffBookingForm()},
        status=400 if form is not None and form.errors else 200,
    )


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
