"""H43: the hourly limits on the public form turn no one away after they have answered every page. They are
checked when the form starts; the practice's limit grows with its list, so the hour after a campaign is served;
and a patient turned away is told plainly when to come back and the practice's phone number."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from recordaccess.intake.models import AccessRequest
from recordaccess.intake.security import come_back_time, kept_practice_limit, practice_limit
from recordaccess.patients.models import Patient
from tests.intake.conftest import answer_all

pytestmark = pytest.mark.django_db

CHOICE = "/p/A81001/request/choice/"


def _patients(practice, count: int) -> None:
    first = Patient.objects.count()
    Patient.objects.bulk_create(
        Patient(
            practice=practice,
            nhs_number=f"{i:010d}",
            given_name="Pat",
            family_name=f"Ient{i}",
            date_of_birth=datetime.date(1970, 1, 1),
            status="registered",
        )
        for i in range(first, first + count)
    )


def test_the_limits_are_checked_when_the_form_starts_and_an_answer_in_progress_is_allowed_to_finish(
    practice, settings
):
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 1
    started, late = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert started.post(CHOICE, {"wish": "wants_access"}).status_code == 302
    refused = late.post(CHOICE, {"wish": "wants_access"})
    assert refused.status_code == 429 and "Come back after" in refused.content.decode()
    answer_all(started)
    assert started.post("/p/A81001/request/check/").status_code == 302
    assert AccessRequest.objects.count() == 1


def test_when_the_practice_is_full_the_first_page_says_so_before_any_question_is_answered(practice, settings):
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 1
    assert Client(REMOTE_ADDR="192.0.2.1").post(CHOICE, {"wish": "no_access"}).status_code == 302
    page = Client(REMOTE_ADDR="192.0.2.2").get(CHOICE)
    assert page.status_code == 429 and "Come back after" in page.content.decode()


def test_the_form_counts_once_per_request_however_many_pages_it_has(client, practice, settings):
    settings.INTAKE_PER_CLIENT_PER_HOUR = 1
    answer_all(client)  # ten pages, one start
    assert client.post("/p/A81001/request/check/").status_code == 302
    assert client.post(CHOICE, {"wish": "wants_access"}).status_code == 429  # the next request is a new start


def test_the_practice_limit_grows_with_its_list(practice, settings):
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 10
    settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 100
    _patients(practice, 50)
    assert practice_limit(practice) == 10  # a small list keeps the floor
    _patients(practice, 30_000 - 50)
    assert practice_limit(practice) == 3_000  # a tenth of the list in an hour
    Patient.objects.filter(practice=practice, pk__in=Patient.objects.values("pk")[:10_000]).update(
        status="left"
    )
    assert practice_limit(practice) == 2_000  # counted from those registered only


def test_the_form_counts_the_list_once_a_minute_not_on_every_start(
    practice, settings, django_assert_num_queries
):
    """Counting a large register on every start of the form cost more than the page (the load run): each
    process keeps the limit a minute. Another practice, or the same id made again, is counted afresh."""
    from django.core.cache import cache

    cache.clear()
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 10
    settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 100
    _patients(practice, 1_000)
    assert kept_practice_limit(practice) == 100
    _patients(practice, 1_000)
    with django_assert_num_queries(0):
        assert kept_practice_limit(practice) == 100  # within the minute: the count already made
    assert practice_limit(practice) == 200  # the exact count, for when it matters
    settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 30
    assert kept_practice_limit(practice) == 60  # a change of setting is a new count: 2,000 at 30 per 1,000
    cache.clear()
    settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 100
    assert kept_practice_limit(practice) == 200


def test_after_a_campaign_a_large_practice_takes_more_than_the_floor_in_an_hour(practice, settings):
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 1
    settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 500
    _patients(practice, 6)  # a list of 6 at 500 per 1,000: room for 3 an hour
    for i in range(3):
        assert Client(REMOTE_ADDR=f"192.0.2.{i + 1}").post(CHOICE, {"wish": "no_access"}).status_code == 302
    assert Client(REMOTE_ADDR="192.0.2.9").post(CHOICE, {"wish": "no_access"}).status_code == 429


def test_the_patient_turned_away_is_told_when_to_come_back_and_the_practices_phone(practice, settings):
    practice.phone = "0113 496 0000"
    practice.save()
    settings.INTAKE_PER_CLIENT_PER_HOUR = 0
    before = come_back_time(timezone.now())
    page = Client().post(CHOICE, {"wish": "wants_access"}).content.decode()
    after = come_back_time(timezone.now())
    assert f"Come back {before}" in page or f"Come back {after}" in page
    assert "0113 496 0000" in page and "Riverside Surgery" in page


@pytest.mark.parametrize(
    ("now", "words"),
    [
        ("2026-03-05T14:20:00+00:00", "after 3pm today"),
        ("2026-03-05T09:59:59+00:00", "after 10am today"),
        ("2026-03-05T11:00:00+00:00", "after midday today"),
        ("2026-07-05T11:30:00+00:00", "after 1pm today"),  # British Summer Time: 12:30 in the UK
        ("2026-03-05T23:10:00+00:00", "after midnight tonight"),
        ("2026-03-06T00:10:00+00:00", "after 1am today"),
    ],
)
def test_the_time_to_come_back_is_in_plain_english_in_uk_time(now, words):
    assert come_back_time(datetime.datetime.fromisoformat(now)) == words
