"""Capacity: expected list size, the date it clears, and the hours that would meet the target."""

import datetime

import pytest
from django.urls import reverse

from recordaccess.practices.roles import Role
from recordaccess.review.capacity import Plan, chart, measure
from recordaccess.review.models import WaitingListPolicy
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
