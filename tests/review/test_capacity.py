"""Capacity: expected list size, the date it clears, and the hours that would meet the target."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.conversations import services as conversations
from recordaccess.intake.models import WaitingListPolicy
from recordaccess.practices.roles import Role
from recordaccess.review.capacity import Plan, chart, measure
from tests import factories
from tests.review.conftest import waiting_request

TODAY = datetime.date(2026, 11, 25)


def plan(**changes) -> Plan:
    values = dict(
        waiting=100,
        arrivals_per_week=10.0,
        minutes_per_review=20.0,
        measured_minutes=True,
        reviewer_hours=6.0,
        target_days=28,
        today=TODAY,
    )
    return Plan(**{**values, **changes})


def test_the_list_clears_when_the_hours_outpace_the_arrivals():
    p = plan()  # 6 hours × 3 an hour = 18 a week against 10 arriving: 8 a week off 100
    assert p.reviews_per_week == 18
    assert p.weeks_to_clear == 12.5 and p.clear_date == TODAY + datetime.timedelta(days=88)
    assert p.projection(6, weeks=3) == [100, 92, 84, 76]
    # To wait no more than 4 weeks: keep up with 10 a week and work 100 off in 4 weeks: 35 a week = 11.67 hours.
    assert round(p.hours_for_target, 2) == 11.67 and round(p.extra_hours, 2) == 5.67


def test_the_list_never_clears_when_arrivals_outpace_the_hours_and_no_extra_is_needed_when_the_hours_suffice():
    assert plan(reviewer_hours=3).clear_date is None
    assert plan(reviewer_hours=3).projection(3, weeks=2) == [100, 101, 102]
    assert plan(reviewer_hours=20).extra_hours == 0
    assert plan(waiting=0).weeks_to_clear == 0


def test_the_chart_draws_both_lines_within_its_frame():
    drawn = chart(plan())
    for points in (drawn.now_points, drawn.target_points):
        xs_ys = [tuple(map(float, p.split(","))) for p in points.split()]
        assert len(xs_ys) == 27 and all(0 <= x <= 600 and 0 <= y <= 240 for x, y in xs_ys)
    assert drawn.target_points.split()[-1].endswith(",240.0")  # the target line reaches zero


@pytest.mark.django_db
def test_the_page_measures_the_practice_and_shows_the_chart(client, practice):
    for _ in range(4):
        waiting_request(practice)
    WaitingListPolicy.objects.create(practice=practice, reviewer_hours=1, target_days=7)
    measured = measure(practice)
    assert (measured.waiting, measured.arrivals_per_week, measured.measured_minutes) == (4, 0.5, False)
    factories.sign_in(client, factories.staff(practice, Role.OBSERVER))  # aggregate figures: observers too
    page = client.get(reverse("staff:capacity", kwargs={"ods": "A81001"})).content.decode()
    assert 'id="capacity-chart"' in page and "<polyline" in page
    assert "4 requests are waiting or in review" in page and "more hours a week" in page


def test_time_booked_for_conversations_comes_out_of_the_reviewers_week():
    p = plan(conversation_hours=2)  # 6 hours set aside, 2 of them talking: 4 hours × 3 = 12 reviews a week
    assert p.review_hours == 4 and p.reviews_per_week == 12
    assert p.weeks_to_clear == 50  # 2 a week off 100, not 8
    assert p.projection(p.review_hours, weeks=2) == [100, 98, 96]
    # The target needs 11.67 hours of reviewing on top of the 2 hours of conversations.
    assert round(p.hours_for_target, 2) == 13.67 and round(p.extra_hours, 2) == 7.67
    assert plan(conversation_hours=7).review_hours == 0 and plan(conversation_hours=7).clear_date is None


STAFF = Actor.system("reception-sam")


def set_aside(practice, *, days: float, minutes: int, kind="conversation", places=1, booked=0, **extra):
    """A slot `days` from now (negative: in the past), booked `booked` times through the real services."""
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=days)
    slot = conversations.create_slot(
        actor=STAFF,
        practice=practice,
        host="Dr Patel",
        starts_at=starts_at,
        minutes=minutes,
        mode="in_person",
        kind=kind,
        places=places,
        now=min(now, starts_at - datetime.timedelta(hours=1)),
    )
    for i in range(booked):
        conversations.book(
            actor=STAFF, practice=practice, slot_id=slot.pk, name=f"Patient {i}", contact_by=""
        )
    return slot


@pytest.mark.django_db
def test_the_forecast_counts_the_conversations_and_drop_ins_booked_over_the_next_four_weeks(
    client, practice, other_practice
):
    set_aside(practice, days=2, minutes=45, booked=1)  # a booked conversation
    set_aside(
        practice, days=9, minutes=120, kind="drop_in", places=10
    )  # a drop-in: the host is there throughout
    set_aside(practice, days=3, minutes=60)  # a conversation no one has booked: free for reviews
    cancelled = set_aside(practice, days=4, minutes=60, booked=1)
    cancelled.cancelled = True
    cancelled.save()
    set_aside(practice, days=29, minutes=60, booked=1)  # beyond the four weeks
    set_aside(other_practice, days=2, minutes=240, kind="drop_in", places=5)  # another practice's week
    WaitingListPolicy.objects.create(practice=practice, reviewer_hours=5, target_days=28)
    measured = measure(practice)
    assert measured.conversation_hours == 165 / 60 / 4  # 45 and 120 minutes over the four weeks
    assert measured.review_hours == 5 - 165 / 60 / 4
    factories.sign_in(client, factories.staff(practice, Role.OBSERVER))
    page = client.get(reverse("staff:capacity", kwargs={"ods": "A81001"})).content.decode()
    page = re.sub(r"<[^>]+>", "", page)  # the words as read, without the emphasis
    assert "0.7 of them go to conversations and drop-ins booked over the next 4 weeks" in page
    assert "leaving 4.3 for reviews" in page
