"""Children asking for their own record (H61): the form says what will happen, and staff see the age and the
assessment the request needs on the request and on the waiting list. Dates of birth are counted back from
today, so these pass whatever day they run."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.intake import children
from recordaccess.intake.models import AccessRequest
from recordaccess.practices.roles import Role
from tests import factories
from tests.intake.conftest import answer_all
from tests.review.conftest import waiting_request

UTC = datetime.UTC


def born_aged(age: int) -> datetime.date:
    """A date of birth that makes someone exactly `age` today in the UK: 1 January, already passed this year."""
    return datetime.date(timezone.localdate().year - age, 1, 1)


def dob_answer(born: datetime.date) -> dict:
    return {"day": str(born.day), "month": str(born.month), "year": str(born.year)}


@pytest.mark.parametrize(
    ("age", "for_someone_else", "needs"),
    [
        (10, False, "under 13 — a clinician decides; identity checked at the desk"),
        (12, False, "under 13 — a clinician decides; identity checked at the desk"),
        (13, False, "Gillick competence to be assessed"),
        (15, False, "Gillick competence to be assessed"),
        (9, True, "under 11 — parental responsibility to be checked"),
        (14, True, "Gillick competence to be assessed before a parent has access"),
    ],
)
def test_a_child_under_16_needs_a_clinicians_assessment_named_for_their_age(age, for_someone_else, needs):
    found = children.assessment(born_aged(age), wish="wants_access", for_someone_else=for_someone_else)
    assert (found.age, found.needs, found.for_staff) == (age, needs, f"Age {age}: {needs}")
    assert found.told.startswith("Because")


def test_no_assessment_at_16_or_when_no_access_is_asked_for():
    assert children.assessment(born_aged(16), wish="wants_access", for_someone_else=False) is None
    assert children.assessment(born_aged(40), wish="wants_access", for_someone_else=True) is None
    assert children.assessment(born_aged(10), wish="no_access", for_someone_else=False) is None


def test_the_age_turns_at_midnight_in_the_uk_not_in_utc():
    born = datetime.date(2013, 7, 1)
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): the thirteenth birthday has begun.
    uk_birthday = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert children.assessment(born, wish="wants_access", for_someone_else=False, now=uk_birthday) is not None
    assert children.assessment(born, wish="wants_access", for_someone_else=False, now=uk_birthday).age == 13
    day_before = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 23:30 on 30 June in London
    assert children.assessment(born, wish="wants_access", for_someone_else=False, now=day_before).age == 12


@pytest.mark.django_db
def test_a_ten_year_old_asking_online_is_told_a_clinician_decides_and_their_identity_is_checked_at_the_desk(
    client, practice
):
    page = answer_all(client, **{"date-of-birth": dob_answer(born_aged(10))}).content.decode()
    assert 'id="child-next-steps"' in page
    assert "Because you are under 13, a GP or nurse will talk with you before deciding" in page
    assert "we will check who you are at the practice" in page


@pytest.mark.django_db
def test_a_fourteen_year_old_is_told_a_clinician_checks_they_understand_first(client, practice):
    page = answer_all(client, **{"date-of-birth": dob_answer(born_aged(14))}).content.decode()
    assert "Because you are under 16, a GP or nurse will talk with you first" in page


@pytest.mark.django_db
def test_an_adult_is_told_nothing_about_childrens_rules(client, practice):
    page = answer_all(client).content.decode()  # born in 1980
    assert 'id="child-next-steps"' not in page


@pytest.mark.django_db
def test_staff_see_the_childs_age_and_the_assessment_on_the_request_and_the_waiting_list(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    adult = waiting_request(practice)
    ten = waiting_request(practice)
    fourteen = waiting_request(practice)
    # The requests' dates of birth made children (the register's match is by the same date).
    for item, age in ((ten, 10), (fourteen, 14)):
        AccessRequest.objects.filter(pk=item.pk).update(date_of_birth=born_aged(age))
    request_page = client.get(
        reverse("staff:request", kwargs={"ods": "A81001", "request_id": ten.pk})
    ).content.decode()
    assert "Age 10: under 13 — a clinician decides; identity checked at the desk" in request_page
    waiting = client.get(reverse("staff:waiting_list", kwargs={"ods": "A81001"})).content.decode()
    assert "Age 10: under 13 — a clinician decides; identity checked at the desk" in waiting
    assert "Age 14: Gillick competence to be assessed" in waiting
    adult_page = client.get(
        reverse("staff:request", kwargs={"ods": "A81001", "request_id": adult.pk})
    ).content.decode()
    assert 'id="child-assessment"' not in adult_page
