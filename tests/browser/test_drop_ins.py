"""A drop-in session booked from the public page in Chromium until it is full: the third visitor is told it is full
and cannot book; every page on the way passes axe-core (WCAG 2.2 A and AA). Staff then record who came."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.audit.services import Actor
from recordaccess.conversations import drop_ins, services
from recordaccess.conversations.models import Booking, Slot
from recordaccess.outreach.models import DirectMessage
from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.axe import accessible, violations
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = Actor.system("reception")


def drop_in(practice, *, places, starts_at=None, now=None):
    return services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Practice team",
        starts_at=starts_at or timezone.now() + datetime.timedelta(days=3),
        minutes=120,
        mode="in_person",
        kind="drop_in",
        places=places,
        where="Community room",
        now=now,
    )


@pytest.fixture
def visitor(new_context):
    """A new person on their own browser; axe-core is injected as an inline script, which our Content Security
    Policy would rightly refuse, so the context bypasses it."""
    return lambda: new_context(bypass_csp=True).new_page()


def open_form(page):
    page.goto("/p/A81001/drop-ins/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drop-in sessions about your GP record online")
    with page.expect_navigation():
        page.locator("#drop-in-sessions").get_by_role("link", name="Book a place").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a place at a drop-in session")


def book(page, name, phone):
    page.get_by_label("Your name").fill(name)
    page.get_by_label("UK phone number").fill(phone)
    with page.expect_navigation():
        page.get_by_role("button", name="Book a place").click()


def test_a_drop_in_is_booked_from_the_public_page_until_full(visitor, live_server):
    practice = factories.practice("A81001", name="Riverside Surgery")
    session = drop_in(practice, places=2)

    first = visitor()
    first.goto("/p/A81001/")
    with first.expect_navigation():
        first.get_by_role("link", name="Drop-in sessions: come and ask us your questions").click()
    expect(first.locator("#drop-in-sessions")).to_contain_text("2 of 2")
    accessible(first)
    with first.expect_navigation():
        first.get_by_role("link", name="Book a place").click()
    accessible(first)
    first.get_by_label("UK phone number").fill("0800 123 456")
    with first.expect_navigation():
        first.get_by_role("button", name="Book a place").click()
    summary = first.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Not a UK phone number")
    accessible(first)
    book(first, "Sam Jones", "07700 900111")
    expect(first.get_by_role("heading", level=1)).to_have_text("Your place is booked")
    expect(first.locator("#place")).to_contain_text("Community room")
    accessible(first)

    second, third = visitor(), visitor()
    open_form(second)
    expect(second.locator("#places-left")).to_have_text("1")
    open_form(third)  # the third visitor starts booking the last place too
    book(second, "Alex Morgan", "07700 900222")
    expect(second.get_by_role("heading", level=1)).to_have_text("Your place is booked")

    book(third, "Kim Lee", "07700 900333")
    expect(third.locator(".nhsuk-error-summary")).to_contain_text("This session is now full")
    expect(third.locator("#drop-in-sessions")).to_contain_text("Full")
    expect(third.locator("#drop-in-sessions").get_by_role("link", name="Book a place")).to_have_count(0)
    accessible(third)
    third.goto(f"/p/A81001/drop-ins/{session.pk}/")
    expect(third.locator("#full")).to_contain_text("This session is full")
    expect(third.get_by_label("Your name")).to_have_count(0)
    accessible(third)

    assert Slot.objects.get().booked == 2
    assert sorted(Booking.objects.values_list("name", flat=True)) == ["Alex Morgan", "Sam Jones"]
    assert DirectMessage.objects.filter(reference__startswith="DRP-").count() == 2


def test_a_place_is_cancelled_from_its_link_and_staff_record_who_came(visitor, new_context, live_server):
    practice = factories.practice("A81001", name="Riverside Surgery")
    upcoming = drop_in(practice, places=1)
    place = drop_ins.book_place(
        practice=practice, slot_id=upcoming.pk, name="Sam Jones", phone="07700900111", actor=STAFF
    )
    page = visitor()
    page.goto(f"/p/A81001/drop-ins/place/{place.cancel_code}/")
    accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is cancelled")
    accessible(page)
    assert Slot.objects.get(pk=upcoming.pk).booked == 0

    held = timezone.now() - datetime.timedelta(hours=3)
    past = drop_in(practice, places=3, starts_at=held, now=held - datetime.timedelta(days=1))
    came = drop_ins.book_place(
        practice=practice,
        slot_id=past.pk,
        name="Alex Morgan",
        phone="07700900222",
        actor=STAFF,
        now=held - datetime.timedelta(hours=1),
    )
    staff = sign_in(new_context(bypass_csp=True).new_page(), factories.staff(practice, Role.RECEPTION))
    staff.goto(f"/staff/p/A81001/conversations/{past.pk}/")
    card = staff.locator(f"#booking-{came.pk}")
    card.get_by_label("Came", exact=True).check()
    card.get_by_label("What they asked").fill("How to see hospital letters")
    with staff.expect_navigation():
        card.get_by_role("button", name="Save for Alex Morgan").click()
    expect(staff.locator("#places")).to_contain_text("1 came.")
    assert violations(staff) == []
    came.refresh_from_db()
    assert (came.attendance, came.note) == ("attended", "How to see hospital letters")
