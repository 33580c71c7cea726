"""The dashboard's figures: each figure computed from real rows of the other apps, the summary rows rebuilt
idempotently, totals over practices (medians and centiles exact from the summed histograms), the refresh task.

Every date is fixed (TODAY is a fixed Monday in June 2026, before the tests run): the refresh is given TODAY, and
every timestamp is set to a fixed local time of a fixed day, so nothing depends on when the tests run."""

import datetime

import pytest
from django.utils import timezone

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.audit.services import Actor
from recordaccess.conversations.models import Booking, Slot
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest, IdentityCheck, IdentityMethod, RequestStatus
from recordaccess.outreach.models import Campaign, DirectMessage, Message, MessageStatus
from recordaccess.patients.models import Cohort, Patient, Preference, RegistrationStatus
from recordaccess.questions import inbox
from recordaccess.questions.models import Question, QuestionRoute, QuestionState
from recordaccess.reports import figures, refresh, tasks
from recordaccess.reports.figures import Period
from recordaccess.reports.models import DailyDuration, DailyFigures, DailyMessages, FiguresRefresh
from recordaccess.review.models import Decision, Review
from tests.outreach.conftest import _number

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")
TODAY = datetime.date(2026, 6, 15)
ALL = Period(TODAY - datetime.timedelta(days=59), TODAY)


def day(days_ago: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days_ago)


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(days_ago), datetime.time(hour)))


def patient(practice, i: int, **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=_number(i),
        given_name=f"Given{i}",
        family_name=f"Family{i}",
        date_of_birth=datetime.date(1970, 1, 1),
        registered_on=fields.pop("registered_on", datetime.date(2020, 1, 1)),
        **fields,
    )


def message(campaign, patient_, channel, status, sent_days_ago):
    made = Message.objects.create(
        campaign=campaign,
        patient=patient_,
        channel=channel,
        reference=f"RA-{campaign.pk}-{patient_.pk}",
        status=status,
    )
    Message.objects.filter(pk=made.pk).update(
        sent_at=at(sent_days_ago) if sent_days_ago is not None else None
    )
    return made


def access_request(practice, i, *, received, verified=None, claimed=None, decided=None, outcome=None):
    request, _ = intake.submit(
        practice=practice,
        details=intake.RequestDetails(
            wish="wants_access",
            given_name=f"Asker{i}",
            family_name=f"Surname{i}",
            date_of_birth=datetime.date(1980, 1, i),
            address="1 Road",
            postcode="LS1 4AP",
        ),
        route="online",
        actor=ACTOR,
    )
    AccessRequest.objects.filter(pk=request.pk).update(received_at=at(received))
    status = RequestStatus.RECEIVED
    if verified is not None:
        check = IdentityCheck.objects.create(
            request=request, method=IdentityMethod.DOCUMENTS, verified_by="t"
        )
        IdentityCheck.objects.filter(pk=check.pk).update(verified_at=at(verified))
        status = RequestStatus.WAITING
    if claimed is not None:
        Review.objects.create(request=request, practice=practice, first_claimed_at=at(claimed))
        status = RequestStatus.IN_REVIEW
    if decided is not None:
        someone = Patient.objects.filter(practice=practice).first() or patient(practice, 500 + i)
        made = Decision.objects.create(
            request=request,
            practice=practice,
            patient=someone,
            outcome=outcome,
            message="queued",
            decided_by="gp",
            decided_role="clinician",
        )
        Decision.objects.filter(pk=made.pk).update(decided_at=at(decided, hour=15))
        status = RequestStatus.DECIDED
    request.status = status
    request.save(update_fields=["status"])
    return request


def question(practice, *, asked, answered_hours=None, open_=False):
    made = inbox.receive(
        actor=ACTOR, practice=practice, route=QuestionRoute.LINK, topic="other", text="Private?"
    )
    asked_at = at(asked, hour=9)
    Question.objects.filter(pk=made.pk).update(
        asked_at=asked_at,
        answered_at=asked_at + datetime.timedelta(hours=answered_hours)
        if answered_hours is not None
        else None,
        state=QuestionState.NEW if open_ else QuestionState.ANSWERED,
    )


@pytest.fixture
def built(practice, settings):
    """A practice with a little of everything, at fixed days before TODAY."""
    settings.SMS_PRICE_PENCE = 2.0
    settings.LETTER_PRICE_PENCE = 60.0
    people = [patient(practice, i) for i in range(1, 11)]  # ten registered since 2020
    patient(practice, 11, registered_on=day(5))  # joined five days ago
    patient(practice, 12, status=RegistrationStatus.LEFT, left_on=day(20))  # left twenty days ago
    Patient.objects.filter(pk__in=[p.pk for p in people[:3]]).update(
        preference=Preference.WANTS_ACCESS, preference_recorded_at=at(10)
    )
    Patient.objects.filter(pk=people[3].pk).update(
        preference=Preference.NO_ACCESS, preference_recorded_at=at(40)
    )
    Patient.objects.filter(pk=people[4].pk).update(
        preference=Preference.HAS_QUESTIONS, preference_recorded_at=at(2)
    )

    cohort = Cohort.objects.create(practice=practice, name="All", filters={}, created_by="t")
    launch = Campaign.objects.create(practice=practice, name="Launch", cohort=cohort, created_by="t")
    message(launch, people[0], "sms", MessageStatus.DELIVERED, 30)
    message(launch, people[1], "sms", MessageStatus.PERMANENT_FAILURE, 30)
    message(launch, people[2], "email", MessageStatus.DELIVERED, 29)
    message(launch, people[3], "letter", MessageStatus.SENT, 28)
    message(launch, people[4], "sms", MessageStatus.QUEUED, None)  # never sent: not told
    again = Campaign.objects.create(practice=practice, name="Reminder", cohort=cohort, created_by="t")
    message(again, people[1], "email", MessageStatus.DELIVERED, 10)  # told twice: counted once as told
    Message.objects.filter(patient=people[4]).update(created_at=at(1))
    direct = DirectMessage.objects.create(
        practice=practice,
        reference="RA-direct-1",
        channel="sms",
        to="07700900001",
        body="x" * 200,
        status="sent",
    )
    DirectMessage.objects.filter(pk=direct.pk).update(sent_at=at(3))

    # Requests: received, verified (joining the list), claimed or decided (leaving it).
    access_request(practice, 1, received=50, verified=48, decided=40, outcome="granted")  # 10 days
    access_request(practice, 2, received=45, verified=44, claimed=30, decided=25, outcome="granted_redacted")
    access_request(practice, 3, received=35, verified=30, decided=5, outcome="deferred")  # 30 days
    access_request(practice, 4, received=20, verified=18)  # waiting since day 18, received day 20
    access_request(practice, 5, received=12, verified=12)  # waiting
    access_request(practice, 6, received=3)  # not verified yet
    access_request(practice, 7, received=8, verified=7, decided=4, outcome="declined")  # 4 days

    slot = Slot.objects.create(
        practice=practice, host="Dr A", starts_at=at(6), mode="phone", places=3, created_by="t"
    )
    Booking.objects.create(slot=slot, practice=practice, name="Booker One", booked_by="patient")
    Booking.objects.create(
        slot=slot, practice=practice, name="Booker Two", booked_by="patient", cancelled_at=at(7)
    )
    Slot.objects.create(
        practice=practice, host="Dr A", starts_at=at(-3), mode="phone", places=5, created_by="t"
    )

    question(practice, asked=20, answered_hours=2)
    question(practice, asked=15, answered_hours=30)
    question(practice, asked=4, answered_hours=5)
    question(practice, asked=9, open_=True)

    ExclusionSnapshot.objects.create(practice=practice, day=day(30), registered=10, held_back=1)
    ExclusionSnapshot.objects.create(practice=practice, day=day(3), registered=11, held_back=2)
    refresh.refresh_practice(practice, today=TODAY)
    return people


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
