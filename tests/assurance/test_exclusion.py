"""The exclusion watch: counts by reason, snapshots once a day, the 50% warning on the page and the overview with
its drafted action plan, and a quick rise. Every day is passed in."""

import datetime

import pytest
from django.test import Client

from recordaccess.assurance import exclusion
from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.assurance.tasks import PERIODIC_TASKS, take_exclusion_snapshots
from recordaccess.patients.models import AccessStatus, FlagKind
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.sweep_fixtures import flag, make

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 9)


def patients(practice, **counts):
    for status, n in counts.items():
        for i in range(n):
            make(practice, f"{status}{i}", access_status=getattr(AccessStatus, status.upper()))


def snapshot(practice, day, registered, held_back):
    return ExclusionSnapshot.objects.create(
        practice=practice,
        day=day,
        registered=registered,
        held_back=held_back,
        by_reason={"enhanced_review": held_back},
    )


def test_counts_by_reason_leave_out_patients_who_declined_themselves(practice):
    patients(practice, withheld=1, enhanced_review=2, declined=3, access_on=1, not_decided=1)
    coded = make(practice, "Coded")
    flag(coded, FlagKind.SAFEGUARDING_ADULT, imported=DAY, code="9", term="Adult safeguarding")
    make(practice, "Gone", access_status=AccessStatus.WITHHELD, status="left")
    assert exclusion.count_now(practice) == (9, {"withheld": 1, "enhanced_review": 2, "flagged": 1})


def test_snapshots_are_taken_once_a_day_per_practice(practice, other_practice):
    patients(practice, enhanced_review=1, not_decided=1)
    first, created = exclusion.take_snapshot(practice, day=DAY)
    patients(practice, enhanced_review=5)
    again, created_again = exclusion.take_snapshot(practice, day=DAY)
    assert created and not created_again and again.pk == first.pk and again.held_back == 1
    assert take_exclusion_snapshots in PERIODIC_TASKS
    assert exclusion.take_due(DAY) == 1  # the other practice's
    assert exclusion.take_due(DAY) == 0
    assert exclusion.take_due(DAY + datetime.timedelta(days=1)) == 2
    assert first.share == 50.0


def test_no_warning_at_exactly_half_and_a_warning_past_it_on_the_page_and_the_overview(
    practice, staff_client
):
    patients(practice, enhanced_review=2, not_decided=2)
    exclusion.take_snapshot(practice, day=DAY)
    assert exclusion.warning(practice) is None  # 50% is not more than half
    patients(practice, withheld=1)
    exclusion.take_snapshot(practice, day=DAY + datetime.timedelta(days=1))
    warning = exclusion.warning(practice)
    assert warning.crossed and warning.snapshot.share == 60.0
    assert "3 of our 5 registered patients (60.0%)" in warning.plan
    assert "- Access withheld after review: 1 patients" in warning.plan
    client = staff_client(Role.ADMINISTRATOR)
    page = client.get(f"/staff/p/{practice.ods_code}/exclusion/").text
    assert "More than 50% of patients held back" in page and 'id="action-plan"' in page
    assert "3 of our 5 registered patients" in page
    home = client.get(f"/staff/p/{practice.ods_code}/").text
    assert "warning: the share of patients held back needs an action plan" in home
    reception = factories.sign_in(Client(), factories.staff(practice, Role.RECEPTION))
    assert "held back needs an action plan" not in reception.get(f"/staff/p/{practice.ods_code}/").text
    assert reception.get(f"/staff/p/{practice.ods_code}/exclusion/").status_code == 200


def test_a_rise_of_more_than_10_points_within_28_days_warns_below_half(practice):
    snapshot(practice, DAY - datetime.timedelta(days=28), 100, 20)
    snapshot(practice, DAY, 100, 30)
    assert exclusion.warning(practice) is None  # exactly 10 points
    snapshot(practice, DAY - datetime.timedelta(days=20), 100, 19)  # a lower point within the 28 days
    warning = exclusion.warning(practice)
    assert not warning.crossed and warning.rise == 11.0
    assert "rose by 11.0 percentage points within 28 days" in warning.plan


def test_a_rise_spread_over_more_than_28_days_does_not_warn(practice):
    snapshot(practice, DAY - datetime.timedelta(days=29), 100, 20)
    snapshot(practice, DAY, 100, 35)
    assert exclusion.warning(practice) is None


def test_the_page_shows_counts_only_and_a_table_for_screen_readers(practice, staff_client):
    patients(practice, enhanced_review=1)
    for week in range(3):
        snapshot(practice, DAY + datetime.timedelta(days=7 * week), 10, week + 1)
    page = staff_client(Role.REVIEWER).get(f"/staff/p/{practice.ods_code}/exclusion/").text
    assert 'id="exclusion-chart-table"' in page and "<svg" in page
    assert "enhanced_review0" not in page  # no patient's name
    observer = factories.sign_in(Client(), factories.staff(practice, Role.OBSERVER))
    assert observer.get(f"/staff/p/{practice.ods_code}/exclusion/").status_code == 403


def test_the_roll_ups_statuses_follow_the_same_rule_as_each_practices_warning(db):
    """`statuses_for` (the organisation roll-up's column, plain rows for many practices at once) agrees with
    `warning` (the practice's own page) for a practice past half, one that rose, one calm and one never counted."""
    crossed, risen, calm, never = (factories.practice(ods_code=f"E8000{i}") for i in range(4))
    snapshot(crossed, DAY, 100, 51)
    snapshot(risen, DAY - datetime.timedelta(days=20), 100, 19)
    snapshot(risen, DAY - datetime.timedelta(days=3), 100, 30)  # each practice read from its own newest day
    snapshot(calm, DAY - datetime.timedelta(days=29), 100, 20)
    snapshot(calm, DAY, 100, 35)

    found = exclusion.statuses_for([crossed, risen, calm, never])

    assert found[never.pk] is None
    for practice in (crossed, risen, calm):
        status, warning = found[practice.pk], exclusion.warning(practice)
        assert status.share == ExclusionSnapshot.objects.filter(practice=practice).latest("day").share
        assert status.crossed == bool(warning and warning.crossed)
        assert status.rise == (warning.rise if warning else None)
    assert found[crossed.pk].crossed and found[risen.pk].rise == 11.0 and found[calm.pk].rise is None
