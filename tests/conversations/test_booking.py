"""Time for conversations: set aside, booked by patients from their link or by staff, never over-booked,
and a reminder sent once."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.conversations import services
from recordaccess.conversations.models import Booking, Slot
from recordaccess.conversations.tasks import remind_bookings
from recordaccess.outreach.models import DirectMessage
from recordaccess.practices.roles import Role
from tests import factories
from tests.review.conftest import waiting_request

STAFF = Actor.system("reception-sam")
SOON = timezone.now() + datetime.timedelta(days=2)


def slot(practice, *, places=1, kind="conversation", starts_at=None):
    return services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Dr Patel",
        starts_at=starts_at or SOON,
        minutes=15,
        mode="phone",
        kind=kind,
        places=places,
    )


def patient_book(practice, chosen, invitation=None):
    invitation = invitation or services.invite(practice)
    return services.book(
        actor=Actor(id=None, name="patient"),
        practice=practice,
        slot_id=chosen.pk,
        name="Alex Morgan",
        contact_by="sms",
        mobile="07700900111",
        invitation=invitation,
    )


@pytest.mark.django_db
def test_setting_time_aside_checks_each_value(practice):
    now = timezone.now()
    cases = [
        (dict(host=" "), "Enter who will hold the conversation"),
        (dict(mode="carrier pigeon"), "Choose in person, phone or video"),
        (dict(starts_at=now - datetime.timedelta(minutes=1)), "The start must be in the future"),
        (dict(minutes=2), "The length must be between 5 and 240 minutes"),
        (dict(places=3), "A conversation is with one patient: a drop-in session can take more"),
        (dict(kind="drop_in", places=0), "The places must be between 1 and 50"),
    ]
    for changes, message in cases:
        values = dict(
            host="Dr Patel", starts_at=SOON, minutes=15, mode="phone", kind="conversation", places=1
        )
        with pytest.raises(services.BookingError, match=message):
            services.create_slot(actor=STAFF, practice=practice, **{**values, **changes})
    assert not Slot.objects.exists()


@pytest.mark.django_db
def test_a_slot_takes_as_many_bookings_as_it_has_places_and_a_cancellation_frees_one(practice):
    one = slot(practice)
    patient_book(practice, one)
    with pytest.raises(services.BookingError, match="just been taken"):
        patient_book(practice, one)
    booking = Booking.objects.get()
    services.cancel(actor=STAFF, practice=practice, booking_id=booking.pk)
    assert Slot.objects.get(pk=one.pk).booked == 0
    patient_book(practice, one)
    assert Slot.objects.get(pk=one.pk).booked == 1


@pytest.mark.django_db
def test_one_invitation_books_one_time(practice):
    first, second = slot(practice), slot(practice, starts_at=SOON + datetime.timedelta(hours=1))
    invitation = services.invite(practice)
    patient_book(practice, first, invitation)
    with pytest.raises(services.BookingError, match="already booked a time"):
        patient_book(practice, second, invitation)
    assert Slot.objects.get(pk=second.pk).booked == 0  # the place taken for it was given back


@pytest.mark.django_db
def test_the_patient_books_from_their_link_and_the_page_says_nothing_about_who_they_are(client, practice):
    request = waiting_request(practice)
    chosen = slot(practice)
    invitation = services.invite(practice, request)
    url = reverse("book", kwargs={"ods": "A81001", "code": invitation.code})
    page = client.get(url).content.decode()
    assert "Choose a time to talk about your GP record online" in page and "Dr Patel" in page
    assert "Alex" not in page and "Morgan" not in page and request.patient.nhs_number not in page
    missing = client.post(url, {})
    assert missing.status_code == 400 and "There is a problem" in missing.content.decode()
    assert "Choose a time" in missing.content.decode()
    booked = client.post(url, {"slot": chosen.pk}, follow=True).content.decode()
    assert "Your conversation is booked" in booked
    booking = Booking.objects.get()
    assert (booking.request_id, booking.booked_by, booking.mobile) == (request.pk, "patient", "07700900111")
    confirmation = DirectMessage.objects.get(reference=f"BKG-{booking.pk}")
    assert url in confirmation.body and "Alex" not in confirmation.body
    client.post(url, {"action": "cancel"})
    assert Booking.objects.get().cancelled_at is not None and Slot.objects.get().booked == 0
    assert client.get(reverse("book", kwargs={"ods": "A81001", "code": "aaaaaaaaaaaa"})).status_code == 404


@pytest.mark.django_db
def test_staff_book_for_a_patient_by_their_request_reference(client, practice):
    request = waiting_request(practice)
    chosen = slot(practice)
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    url = reverse("staff:slot_book", kwargs={"ods": "A81001", "slot_id": chosen.pk})
    bad = client.post(url, {"reference": "ZZZZ-ZZZZ"})
    assert bad.status_code == 400 and "There is no request with that reference" in bad.content.decode()
    page = client.post(url, {"reference": request.reference_display}, follow=True).content.decode()
    assert "Booked for Alex Morgan" in page and "1 of 1 place booked" in page


@pytest.mark.django_db
def test_a_patient_cannot_book_a_second_time_after_staff_booked_one_for_their_request(client, practice):
    """H66: one booking per request, whoever made the first one; the patient is told to call to change it."""
    request = waiting_request(practice)
    first, second = slot(practice), slot(practice, starts_at=SOON + datetime.timedelta(hours=1))
    booked = services.book(
        actor=STAFF, practice=practice, slot_id=first.pk, name="Alex Morgan", request=request
    )
    invitation = services.invite(practice, request)
    url = reverse("book", kwargs={"ods": "A81001", "code": invitation.code})
    page = client.get(url).content.decode()
    assert "Your conversation is booked" in page and "To change it, call us" in page
    assert "Cancel this time" not in page
    refused = client.post(url, {"slot": second.pk})
    text = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in text
    assert f"You already have a booking on {services.when(first)}; to change it, call us" in text
    client.post(url, {"action": "cancel"})  # a link cannot cancel what staff booked
    assert Booking.objects.get().cancelled_at is None
    assert Booking.objects.filter(request=request).count() == 1
    assert Slot.objects.get(pk=second.pk).booked == 0
    assert booked.pk == Booking.objects.get().pk


@pytest.mark.django_db
def test_staff_cannot_book_a_second_time_for_a_request_that_has_one(client, practice):
    request = waiting_request(practice)
    first, second = slot(practice), slot(practice, starts_at=SOON + datetime.timedelta(hours=1))
    patient_book(practice, first, services.invite(practice, request))
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    url = reverse("staff:slot_book", kwargs={"ods": "A81001", "slot_id": second.pk})
    refused = client.post(url, {"reference": request.reference_display})
    text = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in text
    assert f"Alex Morgan already has a booking on {services.when(first)}" in text
    assert Booking.objects.filter(request=request).count() == 1 and Slot.objects.get(pk=second.pk).booked == 0
    services.cancel(actor=STAFF, practice=practice, booking_id=Booking.objects.get().pk)
    client.post(url, {"reference": request.reference_display})
    assert Booking.objects.filter(request=request, cancelled_at=None).get().slot_id == second.pk


@pytest.mark.django_db
def test_the_database_holds_one_live_booking_per_request(practice):
    from django.db import IntegrityError, transaction

    request = waiting_request(practice)
    first, second = slot(practice), slot(practice, starts_at=SOON + datetime.timedelta(hours=1))
    Booking.objects.create(slot=first, practice=practice, request=request, name="A", booked_by="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=second, practice=practice, request=request, name="A", booked_by="x")


@pytest.mark.django_db
def test_staff_set_weekly_times_aside_from_the_page_with_clear_errors(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    url = reverse("staff:slots", kwargs={"ods": "A81001"})
    bad = client.post(url, {"host": "", "kind": "conversation", "time": "25:00", "repeat_weeks": "1"})
    text = bad.content.decode()
    assert bad.status_code == 400
    for message in (
        "Enter who will hold it",
        "Choose in person, phone or video",
        "Enter the date",
        "Enter a time like 14:30",
    ):
        assert message in text
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    values = {"host": "Dr Patel", "kind": "conversation", "mode": "video", "day": day, "time": "10:00"}
    done = client.post(url, {**values, "minutes": "20", "places": "1", "repeat_weeks": "4"}, follow=True)
    assert "4 times set aside." in done.content.decode() and Slot.objects.count() == 4


@pytest.mark.django_db
def test_a_reminder_goes_once_to_each_booking_starting_within_a_day(practice):
    soon = slot(practice, starts_at=timezone.now() + datetime.timedelta(hours=20))
    later = slot(practice, starts_at=timezone.now() + datetime.timedelta(days=3))
    patient_book(practice, soon)
    patient_book(practice, later)
    assert remind_bookings.call() == 1
    assert remind_bookings.call() == 0
    reminder = DirectMessage.objects.get(reference__startswith="REM-")
    assert "is on" in reminder.body and reminder.to == "07700 900111"


@pytest.mark.django_db(transaction=True)
def test_many_people_booking_the_last_places_at_once_never_over_book_it(practice):
    """H27 on PostgreSQL: 12 people book a 3-place drop-in at the same moment; 3 get in, 9 are told it has gone."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent bookings need a server database; the in-memory SQLite test database is one connection"
        )
    drop_in = slot(practice, places=3, kind="drop_in")
    start = threading.Barrier(12)
    outcomes = []

    def book():
        try:
            start.wait()
            patient_book(practice, drop_in)
            outcomes.append("booked")
        except services.BookingError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] * 3 + ["full"] * 9
    assert Slot.objects.get(pk=drop_in.pk).booked == 3
    assert Booking.objects.filter(slot=drop_in, cancelled_at=None).count() == 3
