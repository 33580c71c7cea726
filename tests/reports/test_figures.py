"""The dashboard's figures: each figure computed from real rows of the other apps, the summary rows rebuilt
idempotently, totals over practices (medians and centiles exact from the summed histograms), the refresh task.

Every date is fixed (TODAY is a fixed Monday in June 2026, before the tests run): the refresh is given TODAY, and
every timestamp is set to a fixed local time of a fixed day, so nothing depends on when the tests run."""

import datetime
import io

import pytest
from django.utils import timezone

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.reports import figures, refresh, tasks
from recordaccess.reports.figures import Period
from recordaccess.reports.models import DailyDuration, DailyFigures, DailyMessages, FiguresRefresh
from tests.reports.conftest import TODAY, access_request, day, patient

pytestmark = pytest.mark.django_db
ALL = Period(TODAY - datetime.timedelta(days=59), TODAY)


def test_the_funnel_is_cumulative_to_the_end_date(practice, built):
    found = figures.practice_figures(practice, ALL)
    funnel = found.funnel
    assert funnel.patients == 11  # ten, the one who joined; not the one who left
    assert funnel.told == {"sms": 2, "email": 2, "letter": 1}
    assert funnel.told_any == 4  # four patients, one of them told twice
    assert funnel.delivered == 4  # delivered texts and emails, and the letter sent
    assert funnel.answered == 5
    assert funnel.requested == 7
    assert funnel.verified == 6
    assert funnel.outcomes == {"granted": 1, "granted_redacted": 1, "deferred": 1, "declined": 1}
    assert funnel.reviewed == 4
    assert found.preferences == {"not_known": 6, "wants_access": 3, "no_access": 1, "has_questions": 1}

    earlier = figures.practice_figures(practice, Period(day(59), day(25)))
    assert earlier.funnel.patients == 11  # the leaver still there, the joiner not yet
    assert earlier.funnel.told_any == 4 and earlier.funnel.told == {"sms": 2, "email": 1, "letter": 1}
    assert earlier.funnel.requested == 3 and earlier.funnel.reviewed == 2
    assert earlier.funnel.answered == 1


def test_the_waiting_list_over_time_and_its_oldest_wait(practice, built):
    found = figures.practice_figures(practice, ALL)
    assert found.waiting_now == 2
    assert found.oldest_wait_days == 20  # the request received 20 days ago, still waiting
    by_day = {d.day: d for d in found.series}
    assert len(found.series) == 60
    assert by_day[day(49)].waiting == 0 and by_day[day(49)].oldest_wait_days is None
    assert by_day[day(48)].waiting == 1 and by_day[day(48)].oldest_wait_days == 2
    assert by_day[day(44)].waiting == 2 and by_day[day(44)].oldest_wait_days == 6
    assert by_day[day(40)].waiting == 1 and by_day[day(40)].oldest_wait_days == 5  # the first decided
    assert by_day[day(30)].waiting == 1 and by_day[day(30)].oldest_wait_days == 5  # one claimed, one verified
    assert by_day[day(18)].waiting == 2 and by_day[day(18)].oldest_wait_days == 17
    assert by_day[day(7)].waiting == 4
    assert by_day[day(5)].waiting == 3  # one decided
    assert by_day[day(4)].waiting == 2  # and another
    assert by_day[day(50)].requests == 1 and by_day[day(40)].decisions == 1


def test_decision_times_are_exact_from_the_histogram(practice, built):
    found = figures.practice_figures(practice, ALL)
    assert found.decision_days == {10: 1, 20: 1, 30: 1, 4: 1}
    assert found.decision_days_median == 15  # between 10 and 20
    assert found.decision_days_p90 == 30
    assert found.decided == {"granted": 1, "granted_redacted": 1, "deferred": 1, "declined": 1}
    recent = figures.practice_figures(practice, Period(day(10), TODAY))
    assert recent.decision_days == {30: 1, 4: 1} and recent.decision_days_median == 17
    assert recent.requests_received == 2 and recent.verified_in_period == 1


def test_messages_by_channel_and_status_with_their_cost(practice, built):
    found = figures.practice_figures(practice, ALL)
    assert found.messages == {
        "sms": {"delivered": 1, "permanent-failure": 1, "queued": 1, "sent": 1},
        "email": {"delivered": 2},
        "letter": {"sent": 1},
    }
    # Two texts of the default text's fragments each... none here (no template): one fragment each; the direct
    # answer of 200 characters is two. Letters 60p; email free.
    assert found.fragments == 4
    assert found.cost_by_channel == {"sms": 8.0, "email": 0.0, "letter": 60.0}
    assert found.cost_pence == 68.0
    assert found.messages_total == 7


def test_places_questions_and_the_share_held_back(practice, built):
    found = figures.practice_figures(practice, ALL)
    assert (found.places_offered, found.places_used) == (3, 1)  # next week's slot not yet
    assert found.questions_received == 4 and found.questions_answered == 3 and found.questions_open == 1
    assert found.answer_hours == {2: 1, 30: 1, 5: 1}
    assert found.answer_hours_median == 5 and found.answer_hours_p90 == 30
    assert (found.excluded_registered, found.excluded_held_back, found.excluded_percent) == (11, 2, 18.2)
    older = figures.practice_figures(practice, Period(day(59), day(10)))
    assert older.excluded_percent == 10.0 and older.questions_open == 0
    assert figures.practice_figures(practice, Period(day(59), day(35))).excluded_percent is None


def test_refresh_is_idempotent(practice, built):
    def snapshot():
        return (
            list(DailyFigures.objects.filter(practice=practice).order_by("day").values()),
            sorted(
                DailyMessages.objects.filter(practice=practice).values_list(
                    "day", "channel", "status", "messages"
                )
            ),
            sorted(
                DailyDuration.objects.filter(practice=practice).values_list(
                    "day", "measure", "amount", "count"
                )
            ),
        )

    def without_ids(rows):
        return [{k: v for k, v in row.items() if k != "id"} for row in rows[0]], rows[1], rows[2]

    first = without_ids(snapshot())
    refresh.refresh_practice(practice, today=TODAY)
    assert without_ids(snapshot()) == first
    assert FiguresRefresh.objects.get(practice=practice).last_day == TODAY


def test_totals_sum_practices_and_take_medians_over_all_of_them(practice, other_practice, built):
    access_request(other_practice, 8, received=30, verified=29, decided=29, outcome="granted")  # 1 day
    access_request(other_practice, 9, received=30, verified=29, decided=28, outcome="granted")  # 2 days
    access_request(other_practice, 10, received=40, verified=39)  # waiting 40 days
    ExclusionSnapshot.objects.create(practice=other_practice, day=day(1), registered=9, held_back=9)
    refresh.refresh_practice(other_practice, today=TODAY)
    rows = figures.rollup([practice, other_practice], ALL)
    assert [p for p, _ in rows] == [practice, other_practice]
    assert rows[1][1].decision_days == {1: 1, 2: 1} and rows[1][1].decision_days_median == 1.5
    total = figures.totals([f for _, f in rows], ALL)
    assert total.practices == 2
    assert total.funnel.requested == 10 and total.funnel.outcomes["granted"] == 3
    assert total.waiting_now == 3 and total.oldest_wait_days == 40
    assert total.decision_days == {10: 1, 20: 1, 30: 1, 4: 1, 1: 1, 2: 1}
    assert total.decision_days_median == 7  # (4 + 10) / 2 over all six, not a median of medians
    assert total.decision_days_p90 == 30
    assert (total.excluded_registered, total.excluded_held_back, total.excluded_percent) == (20, 11, 55.0)
    assert total.cost_pence == 68.0


def test_rollup_is_a_handful_of_queries_however_many_practices(practice, other_practice, built,
                                                                django_assert_max_num_queries):  # fmt: skip
    refresh.refresh_practice(other_practice, today=TODAY)
    with django_assert_max_num_queries(6):
        figures.rollup([practice, other_practice], ALL)


def test_a_practice_never_refreshed_is_refreshed_on_first_view(practice):
    patient(practice, 1)
    found = figures.practice_figures(practice, figures.default_period())
    assert FiguresRefresh.objects.filter(practice=practice).exists()
    assert found.funnel.patients == 1 and found.updated_at is not None


def test_the_task_refreshes_stale_practices_oldest_first(practice, other_practice, settings):
    settings.REPORTS_REFRESH_MINUTES = 15
    now = timezone.now()
    refresh.refresh_practice(practice)
    refresh.refresh_practice(other_practice)
    FiguresRefresh.objects.filter(practice=practice).update(refreshed_at=now - datetime.timedelta(minutes=30))
    FiguresRefresh.objects.filter(practice=other_practice).update(
        refreshed_at=now - datetime.timedelta(minutes=5)
    )
    assert tasks.refresh_figures.call() == 1
    assert FiguresRefresh.objects.get(practice=practice).refreshed_at > now - datetime.timedelta(minutes=1)
    assert tasks.refresh_figures in tasks.PERIODIC_TASKS
    assert refresh.refresh_due(limit=5) == 0  # both fresh now


def test_refresh_all_counts_and_reports_progress(practice, other_practice):
    seen = []
    assert refresh.refresh_all(progress=lambda done, total: seen.append((done, total))) == 2
    assert seen == [(1, 2), (2, 2)]


def test_medians_and_centiles_of_histograms():
    assert figures.median({}) is None and figures.centile({}, 90) is None
    assert figures.median({3: 1}) == 3 and figures.median({1: 1, 2: 1}) == 1.5
    assert figures.median({1: 2, 9: 1}) == 1
    assert figures.centile({v: 1 for v in range(1, 11)}, 90) == 9


def test_the_command_refreshes_one_practice_or_all_and_refuses_an_unknown_one(practice, other_practice):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("refresh_figures", "--practice", practice.ods_code, "--json", stdout=out)
    assert json.loads(out.getvalue())["practices"] == 1
    assert FiguresRefresh.objects.filter(practice=practice).exists()
    assert not FiguresRefresh.objects.filter(practice=other_practice).exists()
    out = io.StringIO()
    call_command("refresh_figures", stdout=out)
    assert "Refreshed the figures of 2 practice(s)" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("refresh_figures", "--practice", "ZZZZZ")
    assert refused.value.returncode == 2
