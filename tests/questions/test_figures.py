"""The questions' figures: counts by topic and route, time to answer (median and 90th centile), open and overdue,
the answers patients found unhelpful; the date range and its errors; open to every role and never showing a
question's words or who asked."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.practices.roles import Role
from recordaccess.questions import figures
from recordaccess.questions.inbox import receive
from recordaccess.questions.models import FaqAnswer, Question, QuestionRoute, QuestionState, Topic

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")
TODAY = timezone.localdate()


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _question(practice, *, days_ago: int, route=QuestionRoute.LINK, topic=Topic.OTHER, answered_hours=None,
              state=None, due_in=3, **fields) -> Question:  # fmt: skip
    question = receive(
        actor=ACTOR,
        practice=practice,
        route=route,
        topic=topic,
        text=fields.pop("text", "A question"),
        **fields,
    )
    asked = _at(days_ago)
    answered = asked + datetime.timedelta(hours=answered_hours) if answered_hours is not None else None
    Question.objects.filter(pk=question.pk).update(
        asked_at=asked,
        answered_at=answered,
        state=state or (QuestionState.ANSWERED if answered else QuestionState.NEW),
        due_on=asked.date() + datetime.timedelta(days=due_in),
    )
    return question


def _parts(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _url(practice) -> str:
    return reverse("staff:question_figures", kwargs={"ods": practice.ods_code})


def test_nearest_rank_and_durations_in_words():
    assert figures.nearest_rank([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90) == 9
    assert figures.nearest_rank([3.0], 90) == 3.0
    assert figures.nearest_rank([1, 2], 50) == 1
    assert figures.duration(None) == "none answered"
    assert figures.duration(0.5) == "30 minutes"
    assert figures.duration(1 / 60) == "1 minute"
    assert figures.duration(5.2) == "5 hours"
    assert figures.duration(24) == "1 day"
    assert figures.duration(51) == "2 days 3 hours"


def test_figures_count_topics_routes_times_and_what_is_open_or_overdue(practice, other_practice):
    _question(practice, days_ago=1, topic=Topic.RESULTS, route=QuestionRoute.LINK, answered_hours=2)
    _question(practice, days_ago=2, topic=Topic.RESULTS, route=QuestionRoute.SMS, answered_hours=4)
    _question(practice, days_ago=3, topic=Topic.RESULTS, route=QuestionRoute.CALL, answered_hours=30)
    _question(practice, days_ago=4, topic=Topic.PROXY, route=QuestionRoute.CALL, answered_hours=100)
    _question(
        practice, days_ago=10, topic=Topic.PROXY, route=QuestionRoute.FORM
    )  # open, due 7 days ago: overdue
    _question(practice, days_ago=1, topic=Topic.TERMS, route=QuestionRoute.FAQ, state=QuestionState.CLINICIAN)
    _question(practice, days_ago=200, topic=Topic.COERCION)  # before the range
    _question(other_practice, days_ago=1, topic=Topic.COERCION)  # another practice's
    found = figures.question_figures(practice, TODAY - datetime.timedelta(days=30), TODAY)
    assert found.total == 6
    assert {bar.key: bar.count for bar in found.by_topic if bar.count} == {
        "results": 3,
        "proxy": 2,
        "terms": 1,
    }
    assert [bar.key for bar in found.by_topic] == list(
        Topic.values
    )  # every topic, in order, never asked as 0
    assert {bar.key: bar.count for bar in found.by_route if bar.count} == {"link": 1, "sms": 1, "call": 2, "form": 1,
                                                                            "faq": 1}  # fmt: skip
    assert next(bar for bar in found.by_route if bar.key == "call").width == 100
    assert next(bar for bar in found.by_route if bar.key == "sms").width == 50
    assert [(bar.label, bar.count) for bar in found.most_asked] == [
        ("Test results before the GP has discussed them", 3),
        ("Access for children, carers and others", 2),
        ("Abbreviations and medical terms", 1),
    ]
    assert found.answered == 4
    assert found.median_hours == 17  # (4 + 30) / 2
    assert found.p90_hours == 100
    assert (found.open, found.overdue) == (2, 1)
    narrow = figures.question_figures(
        practice, TODAY - datetime.timedelta(days=2), TODAY - datetime.timedelta(days=1)
    )
    assert narrow.total == 3 and narrow.answered == 2


def test_the_answers_that_did_not_help_come_first_with_the_questions_asked_from_them(
    practice, other_practice
):
    worst = FaqAnswer.objects.create(practice=practice, topic=Topic.RESULTS, slug="results", question="Results?",
                                     answer="a", not_helpful=9, helpful=2)  # fmt: skip
    FaqAnswer.objects.create(practice=practice, topic=Topic.TERMS, slug="terms", question="Terms?", answer="a",
                             not_helpful=3)  # fmt: skip
    FaqAnswer.objects.create(practice=practice, topic=Topic.PROXY, slug="proxy", question="Proxy?", answer="a",
                             helpful=50)  # fmt: skip
    FaqAnswer.objects.create(practice=other_practice, topic=Topic.PROXY, slug="p", question="Theirs?", answer="a",
                             not_helpful=99)  # fmt: skip
    _question(practice, days_ago=1, route=QuestionRoute.FAQ, faq=worst)
    _question(practice, days_ago=2, route=QuestionRoute.FAQ, faq=worst)
    found = figures.question_figures(practice, TODAY - datetime.timedelta(days=7), TODAY)
    assert [(f.question, f.not_helpful, f.helpful, f.asked_from) for f in found.not_helpful] == [
        ("Results?", 9, 2, 2),
        ("Terms?", 3, 0, 0),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_figures_and_never_a_question_or_who_asked(staff_client, practice, role):
    _question(practice, days_ago=1, topic=Topic.COERCION, answered_hours=3,
              text="My partner Xavier makes me show him my record", name="Zelda Quartermaine",
              mobile="07700900123", email="zelda@example.com")  # fmt: skip
    answer = staff_client(role).get(_url(practice))
    assert answer.status_code == 200
    page = answer.content.decode()
    for identifying in ["Xavier", "Zelda", "Quartermaine", "07700", "zelda@"]:
        assert identifying not in page
    topics = page[page.index('id="chart-topics"') :]
    assert re.search(r"Pressure to share your record</th><td[^>]*>1<", topics)
    assert "half were answered within <strong>3 hours</strong>" in page


def test_the_chart_is_svg_bars_with_a_table_for_screen_readers(staff_client, practice):
    _question(practice, days_ago=1, route=QuestionRoute.SMS)
    _question(practice, days_ago=1, route=QuestionRoute.SMS)
    _question(practice, days_ago=1, route=QuestionRoute.CALL)
    page = staff_client(Role.OBSERVER).get(_url(practice)).content.decode()
    chart = page[page.index('id="chart-routes"') : page.index("</figure>", page.index('id="chart-routes"'))]
    bars = chart[: chart.index("<table")]
    assert 'aria-hidden="true"' in bars
    assert re.findall(r'<rect class="recordaccess-bar__fill" width="([\d.]+)"', bars) == [
        "0", "0", "100.0", "0", "50.0", "0",
    ]  # fmt: skip
    assert '<div class="nhsuk-u-visually-hidden" id="chart-routes-for-screen-readers">' in chart
    assert "<caption" in chart and 'scope="row">Text message reply</th>' in chart


def test_the_date_range_filters_and_refuses_what_cannot_be(staff_client, practice):
    _question(practice, days_ago=40, topic=Topic.PROXY)
    _question(practice, days_ago=1, topic=Topic.TERMS)
    client = staff_client(Role.REVIEWER)
    default = client.get(_url(practice))
    assert default.status_code == 200
    assert re.search(r'id="figure-total">2<', default.content.decode())  # the last 12 weeks
    start, end = TODAY - datetime.timedelta(days=50), TODAY - datetime.timedelta(days=30)
    narrow = client.get(_url(practice), {**_parts("start", start), **_parts("end", end)})
    assert narrow.status_code == 200
    assert re.search(r'id="figure-total">1<', narrow.content.decode())
    assert start.strftime("%B") in narrow.content.decode()
    refused = [
        ({**_parts("start", TODAY), **_parts("end", TODAY - datetime.timedelta(days=1))}, "start",
         "The start date must be the same as or before the end date"),
        ({**_parts("end", TODAY + datetime.timedelta(days=1))}, "end", "The end date must be today or in the past"),
        ({"start_day": "30", "start_month": "2", "start_year": "2026"}, "start", "The start date must be a real date"),
        ({"start_day": "1", "start_month": "", "start_year": "2026"}, "start", "The start date must include a month"),
        ({"end_day": "1", "end_month": "1", "end_year": "26"}, "end", "The year of the end date must include 4"),
        ({**_parts("start", TODAY - datetime.timedelta(days=1000))}, "start", "no more than 2 years apart"),
    ]  # fmt: skip
    for query, field, message in refused:
        answer = client.get(_url(practice), query)
        assert answer.status_code == 400, query
        page = answer.content.decode()
        assert re.search(rf'<a href="#id_{field}_day"\s*>\s*[^<]*{re.escape(message)}', page), query
        assert re.search(r'id="figure-total">2<', page)  # the figures still show, for the last 12 weeks


def test_time_to_answer_says_how_many_still_wait_and_how_many_are_overdue(staff_client, practice):
    """H87: quick answers must not hide the questions nobody has answered."""
    _question(practice, days_ago=2, answered_hours=1)
    _question(practice, days_ago=20, due_in=3)  # waiting, 17 days past its due date
    _question(practice, days_ago=1, due_in=3)  # waiting, not yet due
    page = staff_client(Role.OBSERVER).get(_url(practice)).content.decode()
    assert "half were answered within <strong>1 hour</strong>" in page
    assert "2 still open are not counted in these times" in page
    assert re.search(r'id="figure-open">2<', page)
    assert re.search(r'class="nhsuk-heading-l nhsuk-error-message" id="figure-overdue">1<', page)
