"""Drop-in sessions: listed for anyone, booked with a name and a phone number, never over-booked, one place per
number, a confirmation text and a reminder sent once each, cancelled by the link in the text; staff record who
came and what they asked."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.conversations import drop_ins, selectors, services
from recordaccess.conversations.models import Booking, Slot
from recordaccess.conversations.tasks import remind_bookings
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.models import DirectMessage
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
STAFF = Actor.system("reception-sam")
PUBLIC = Actor(id=None, name="public")


def session(practice, *, places=2, days=3, **changes):
    values = dict(
        actor=STAFF,
        practice=practice,
        host="Practice team",
        starts_at=timezone.now() + datetime.timedelta(days=days),
        minutes=120,
        mode="in_person",
        kind="drop_in",
        places=places,
        where="Community room",
    )
    return services.create_slot(**{**values, **changes})


def book(practice, slot, *, name="Sam Jones", phone="07700 900111", **kwargs):
    return drop_ins.book_place(
        practice=practice, slot_id=slot.pk, name=name, phone=phone, actor=PUBLIC, **kwargs
    )


def list_url(ods="A81001"):
    return reverse("drop_ins:list", kwargs={"ods": ods})


def book_url(slot, ods="A81001"):
    return reverse("drop_ins:book", kwargs={"ods": ods, "slot_id": slot.pk})


def send_queued():
    for pk in DirectMessage.objects.filter(status="queued").values_list("pk", flat=True):
        send_direct_message.call(pk)


def test_the_list_shows_upcoming_sessions_with_places_left_and_full_ones_marked_full(client, practice):
    open_one = session(practice, places=3)
    full = session(practice, places=1, days=4, host="Nurse Amy")
    book(practice, full)
    cancelled = session(practice, days=5, host="Cancelled Host")
    Slot.objects.filter(pk=cancelled.pk).update(cancelled=True)
    past = session(practice, days=1, host="Past Host")
    Slot.objects.filter(pk=past.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    conversation = services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Dr Conversation",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        minutes=15,
        mode="phone",
    )
    assert [s.pk for s in selectors.upcoming_drop_ins(practice)] == [open_one.pk, full.pk]
    page = client.get(list_url()).content.decode()
    assert "Practice team" in page and "3 of 3" in page and "Community room" in page
    assert "Nurse Amy" in page and "This session is full." in page
    assert book_url(open_one) in page and book_url(full) not in page
    for hidden in ("Cancelled Host", "Past Host", "Dr Conversation"):
        assert hidden not in page
    for not_bookable in (cancelled, past, conversation):
        assert client.get(book_url(not_bookable)).status_code == 404
    full_page = client.get(book_url(full)).content.decode()
    assert "This session is full" in full_page and 'name="phone"' not in full_page


def test_the_start_page_links_to_the_drop_ins(client, practice):
    assert list_url() in client.get("/p/A81001/").content.decode()


def test_another_practices_session_is_not_found_from_this_practices_pages(client, practice, other_practice):
    theirs = session(other_practice)
    assert client.get(book_url(theirs)).status_code == 404
    assert client.post(book_url(theirs), {"name": "Sam", "phone": "07700900111"}).status_code == 404
    assert client.get(list_url("ZZ9999")).status_code == 404
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    "name, phone, errors",
    [
        ("", "", ["Enter your name", "Enter a UK phone number, like 07700 900123"]),
        ("Sam", "phone me", ["Phone number must not contain letters or symbols"]),
        ("Sam", "0800 123 4567", ["Not a UK phone number (UK numbers start 01, 02, 03 or 07)"]),
        ("Sam", "07700 9001", ["Phone number has too few digits"]),
        ("Sam", "07700 9001234", ["Phone number has too many digits"]),
        ("x" * 101, "07700900111", ["Your name must be 100 characters or fewer"]),
    ],
)
def test_each_bad_answer_gets_its_own_error_and_books_nothing(client, practice, name, phone, errors):
    slot = session(practice)
    response = client.post(book_url(slot), {"name": name, "phone": phone})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and "<title>Error:" in page
    for error in errors:
        assert error in page
    assert Booking.objects.count() == 0 and Slot.objects.get().booked == 0


def test_anyone_books_a_place_and_gets_one_confirmation_text_with_a_cancel_link(client, practice, notify):
    slot = session(practice)
    done = client.post(book_url(slot), {"name": "Sam Jones", "phone": "+44 7700 900111"})
    booking = Booking.objects.get()
    place = reverse("drop_ins:place", kwargs={"ods": "A81001", "code": booking.cancel_code})
    assert done.status_code == 302 and done["Location"] == place
    assert (booking.phone, booking.mobile, booking.booked_by) == ("07700900111", "07700900111", "online")
    assert len(booking.cancel_code) == 12 and booking.request_id is None
    page = client.get(place).content.decode()
    assert "Your place is booked" in page and "Community room" in page and "We have sent a text" in page
    assert "mobile number ending 111" in page  # enough to spot a mistyped number, not to learn it
    assert "Sam Jones" not in page and "900111" not in page  # whoever holds the link sees the session only
    send_queued()
    send_queued()
    [text] = notify.notifications
    assert text["reference"] == f"DRP-{booking.pk}" and text["phone_number"] == "07700 900111"
    body = text["personalisation"]["body"]
    assert services.when(slot) in body and "Community room" in body and place in body
    assert "Riverside Surgery" in body and "Sam" not in body and not PRIVATE_WORDS.search(body)
    assert Slot.objects.get().booked == 1


def test_a_landline_books_a_place_with_no_text(client, practice):
    slot = session(practice)
    client.post(book_url(slot), {"name": "Sam Jones", "phone": "0113 496 0000"})
    booking = Booking.objects.get()
    assert (booking.phone, booking.mobile) == ("01134960000", "")
    assert not DirectMessage.objects.exists()
    place = reverse("drop_ins:place", kwargs={"ods": "A81001", "code": booking.cancel_code})
    assert "We cannot send texts to a landline" in client.get(place).content.decode()


def test_the_same_phone_booking_the_same_session_again_holds_one_place(client, practice):
    slot = session(practice, places=3)
    client.post(book_url(slot), {"name": "Sam Jones", "phone": "07700900111"})
    again = client.post(book_url(slot), {"name": "Someone Else", "phone": "07700 900 111"})
    page = again.content.decode()
    assert again.status_code == 200 and "You already have a place at this session" in page
    assert Booking.objects.get().cancel_code not in page  # the second visitor never gets the first's link
    assert Booking.objects.count() == 1 and Slot.objects.get().booked == 1
    assert DirectMessage.objects.count() == 1
    other = session(practice, days=4)
    book(practice, other)  # the same number may book another session
    assert Booking.objects.count() == 2


def test_the_database_holds_one_live_place_per_phone_per_session(practice):
    from django.db import IntegrityError, transaction

    slot = session(practice)
    Booking.objects.create(slot=slot, practice=practice, name="A", phone="07700900111", booked_by="online")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=slot, practice=practice, name="B", phone="07700900111", booked_by="online"
        )


def test_when_the_last_place_has_gone_the_visitor_is_told_it_is_full_and_shown_the_list(client, practice):
    slot = session(practice, places=1)
    later = session(practice, days=6, host="Nurse Amy")
    form = client.get(book_url(slot)).content.decode()
    assert 'name="phone"' in form
    book(practice, slot, phone="07700900222")  # someone else takes it while this visitor types
    refused = client.post(book_url(slot), {"name": "Sam Jones", "phone": "07700900111"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "This session is now full" in page
    assert "Drop-in sessions about your GP record online" in page and book_url(later) in page
    assert Booking.objects.filter(slot=slot).count() == 1 and Slot.objects.get(pk=slot.pk).booked == 1


def test_posts_are_limited_per_client_and_bookings_per_phone(client, practice, settings):
    settings.DROP_IN_POSTS_PER_CLIENT_PER_HOUR = 3
    settings.DROP_IN_BOOKINGS_PER_PHONE_PER_HOUR = 2
    sessions = [session(practice, days=d, places=5) for d in (2, 3, 4)]
    assert client.post(book_url(sessions[0]), {"name": "Sam", "phone": "07700900111"}).status_code == 302
    assert client.post(book_url(sessions[1]), {"name": "Sam", "phone": "07700900111"}).status_code == 302
    by_phone = client.post(
        book_url(sessions[2]), {"name": "Sam", "phone": "07700 900111"}, REMOTE_ADDR="10.0.0.9"
    )
    assert by_phone.status_code == 429 and "Please come back" in by_phone.content.decode()
    third = client.post(book_url(sessions[2]), {"name": "Alex", "phone": "07700900333"})
    assert third.status_code == 302  # another number from the first client: its third post this hour
    by_client = client.post(book_url(sessions[1]), {"name": "Kim", "phone": "07700900444"})
    assert by_client.status_code == 429 and "Please come back" in by_client.content.decode()
    assert Booking.objects.count() == 3


def test_cancelling_by_the_link_frees_the_place_once(client, practice):
    slot = session(practice, places=1)
    booking = book(practice, slot)
    place = reverse("drop_ins:place", kwargs={"ods": "A81001", "code": booking.cancel_code.upper()})
    page = client.post(place, {"action": "cancel"}, follow=True).content.decode()
    assert "Your place is cancelled" in page
    assert Slot.objects.get().booked == 0 and Booking.objects.get().cancelled_at is not None
    client.post(place, {"action": "cancel"})
    assert Slot.objects.get().booked == 0
    assert AuditEntry.objects.filter(action="drop_in.cancel").count() == 1
    book(practice, slot, phone="07700900222")  # the place is free for someone else
    assert Slot.objects.get().booked == 1
    wrong = client.get(reverse("drop_ins:place", kwargs={"ods": "A81001", "code": "0123456789ab"}))
    assert wrong.status_code == 404 and "This link has not worked" in wrong.content.decode()
    other_practice = reverse("drop_ins:place", kwargs={"ods": "B82002", "code": booking.cancel_code})
    assert client.get(other_practice).status_code == 404


def test_a_reminder_goes_once_to_each_drop_in_booking_the_day_before(practice, notify):
    soon = session(practice, days=0, starts_at=timezone.now() + datetime.timedelta(hours=20))
    later = session(practice, days=3)
    first = book(practice, soon)
    book(practice, soon, phone="0113 496 0001")  # a landline: nothing to text
    book(practice, later, phone="07700900222")
    assert remind_bookings.call() == 2  # both of the soon session's bookings are seen to once
    assert remind_bookings.call() == 0
    send_queued()
    reminders = [n for n in notify.notifications if n["reference"].startswith("REM-")]
    assert [n["reference"] for n in reminders] == [f"REM-{first.pk}"]
    body = reminders[0]["personalisation"]["body"]
    assert "drop-in session" in body and "is on" in body and first.cancel_code in body
    assert sorted(notify.sent_references()) == sorted(
        [f"DRP-{b.pk}" for b in Booking.objects.filter(mobile__gt="")] + [f"REM-{first.pk}"]
    )


def test_where_a_drop_in_is_goes_in_texts_so_it_must_not_say_anything_clinical(practice):
    with pytest.raises(services.BookingError, match="take out mental health"):
        session(practice, where="Mental health suite")


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once_one_gets_it_the_other_is_told_it_is_full(practice):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent bookings need a server database; the in-memory SQLite test database is one connection"
        )
    slot = session(practice, places=1)
    start = threading.Barrier(2)
    outcomes = []

    def attempt(phone):
        try:
            start.wait()
            book(practice, slot, phone=phone)
            outcomes.append("booked")
        except drop_ins.SessionFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in ("07700900111", "07700900222")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "full"]
    assert Slot.objects.get().booked == 1 and Booking.objects.count() == 1
    assert DirectMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_phone_booking_twice_at_once_holds_one_place(practice):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent bookings need a server database; the in-memory SQLite test database is one connection"
        )
    slot = session(practice, places=5)
    start = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            start.wait()
            book(practice, slot)
            outcomes.append("booked")
        except drop_ins.AlreadyBooked:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 3 + ["booked"]
    assert Slot.objects.get().booked == 1 and DirectMessage.objects.count() == 1


def test_staff_record_who_came_and_what_was_asked_audited_and_escaped(client, practice):
    slot = session(practice, places=3)
    came = book(practice, slot)
    missed = book(practice, slot, name="Alex Morgan", phone="07700900222")
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=3))
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    url = reverse("staff:booking_attendance", kwargs={"ods": "A81001", "booking_id": came.pk})
    note = "<script>alert(1)</script> asked how to hide old letters"
    client.post(url, {f"b{came.pk}-attendance": "attended", f"b{came.pk}-note": note})
    client.post(
        reverse("staff:booking_attendance", kwargs={"ods": "A81001", "booking_id": missed.pk}),
        {f"b{missed.pk}-attendance": "did_not_come"},
    )
    client.post(
        reverse("staff:slot_note", kwargs={"ods": "A81001", "slot_id": slot.pk}),
        {"session-note": "Most asked about proxy access"},
    )
    came.refresh_from_db()
    assert (came.attendance, came.note) == ("attended", note.strip())
    assert Booking.objects.get(pk=missed.pk).attendance == "did_not_come"
    assert Slot.objects.get().note == "Most asked about proxy access"
    page = client.get(reverse("staff:slot", kwargs={"ods": "A81001", "slot_id": slot.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "1 came." in page and "Did not come" in page
    listed = client.get(reverse("staff:slots", kwargs={"ods": "A81001"})).content.decode()
    assert 'id="past-drop-ins"' in listed and ">1</td>" in listed and ">2</td>" in listed
    entries = AuditEntry.objects.filter(action="booking.attendance")
    assert entries.count() == 2 and all("alert" not in e.detail for e in entries)
    assert AuditEntry.objects.filter(action="slot.note").count() == 1
    too_long = client.post(url, {f"b{came.pk}-attendance": "attended", f"b{came.pk}-note": "x" * 2001})
    assert (
        too_long.status_code == 400
        and "The note must be 2,000 characters or fewer" in too_long.content.decode()
    )


def test_attendance_waits_for_the_session_to_start(practice):
    slot = session(practice)
    booking = book(practice, slot)
    with pytest.raises(services.BookingError, match="once the session has started"):
        drop_ins.record_attendance(
            actor=STAFF, practice=practice, booking_id=booking.pk, attendance="attended", note=""
        )
    drop_ins.record_attendance(
        actor=STAFF, practice=practice, booking_id=booking.pk, attendance="", note="Rang first"
    )
    assert Booking.objects.get().note == "Rang first"


def test_another_practices_bookings_and_sessions_are_not_found_by_staff(client, practice, other_practice):
    theirs = session(other_practice)
    booking = book(other_practice, theirs)
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    attendance = reverse("staff:booking_attendance", kwargs={"ods": "A81001", "booking_id": booking.pk})
    assert client.post(attendance, {f"b{booking.pk}-note": "mine now"}).status_code == 404
    note = reverse("staff:slot_note", kwargs={"ods": "A81001", "slot_id": theirs.pk})
    assert client.post(note, {"session-note": "mine now"}).status_code == 404
    assert (
        client.get(reverse("staff:slot", kwargs={"ods": "A81001", "slot_id": theirs.pk})).status_code == 404
    )
    assert Booking.objects.get().note == "" and Slot.objects.get().note == ""
    with pytest.raises(services.BookingError):
        drop_ins.record_attendance(
            actor=STAFF, practice=practice, booking_id=booking.pk, attendance="", note="x"
        )


def test_staff_set_up_a_drop_in_with_several_places_and_where_it_is(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    done = client.post(
        reverse("staff:slots", kwargs={"ods": "A81001"}),
        {
            "host": "Practice team",
            "kind": "drop_in",
            "mode": "in_person",
            "where": "Community room",
            "day": day,
            "time": "14:00",
            "minutes": "120",
            "places": "12",
            "repeat_weeks": "1",
        },
        follow=True,
    )
    assert "1 time set aside." in done.content.decode()
    made = Slot.objects.get()
    assert (made.kind, made.places, made.where, made.minutes) == ("drop_in", 12, "Community room", 120)


def advert(practice) -> str:
    from django.template import engines

    return (
        engines["jinja2"]
        .from_string(
            '{% from "conversations/_drop_ins_public.jinja" import drop_ins_advert with context %}'
            "{{ drop_ins_advert(practice, sessions) }}"
        )
        .render({"practice": practice, "sessions": selectors.upcoming_drop_ins(practice)})
    )


def test_the_partial_for_another_page_advertises_sessions_with_places_left(practice):
    """What the questions page includes: the sessions with places left, and a link to them all."""
    open_one = session(practice, places=2)
    full = session(practice, places=1, days=4, host="Nurse Amy")
    book(practice, full)
    page = advert(practice)
    assert "Come to a drop-in session" in page and open_one.day_and_time in page and "2 places left" in page
    assert "Nurse Amy" not in page and list_url() in page
    Slot.objects.filter(pk=open_one.pk).update(booked=2)
    assert advert(practice).strip() == ""


def test_a_place_cannot_be_cancelled_by_its_link_once_the_session_has_started(client, practice):
    slot = session(practice)
    booking = book(practice, slot)
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=10))
    place = reverse("drop_ins:place", kwargs={"ods": "A81001", "code": booking.cancel_code})
    page = client.get(place).content.decode()
    assert "This session has taken place" in page and "Cancel my place" not in page
    client.post(place, {"action": "cancel"})
    assert Booking.objects.get().cancelled_at is None and Slot.objects.get().booked == 1
