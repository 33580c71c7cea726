import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.core.nhs_number import check_digit
from recordaccess.patients.cohorts import CohortFilters, age_on, cohort_patients, years_before
from recordaccess.patients.models import Cohort, Flag, FlagKind, Patient
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def nhs_number_for(name: str) -> str:
    """A valid NHS number of its own for each test person."""
    stem = 999_000_000 + sum(ord(c) * 7**i for i, c in enumerate(name)) % 999_999
    while check_digit(f"{stem:09d}") is None:
        stem += 1
    return f"{stem:09d}{check_digit(f'{stem:09d}')}"


TODAY = datetime.date(2026, 11, 25)


def person(practice, name, born, **extra):
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number_for(name),
        given_name=name,
        family_name="Test",
        date_of_birth=born,
        **extra,
    )


@pytest.fixture
def register(practice):
    return {
        "adult": person(
            practice,
            "adult",
            datetime.date(1980, 2, 1),
            mobile="07700900123",
            email="a@example.com",
            address_line_1="1 High St",
            postcode="LS1 4AP",
            registered_on=datetime.date(2020, 1, 1),
        ),
        "sixteen_today": person(practice, "sixteen_today", years_before(TODAY, 16)),
        "turns_16_in_5_days": person(
            practice, "turns_16_in_5_days", years_before(TODAY, 16) + datetime.timedelta(days=5)
        ),
        "child": person(practice, "child", datetime.date(2015, 5, 5)),
        "old": person(practice, "old", datetime.date(1930, 1, 1), postcode="LS1 4AP"),
        "deceased": person(practice, "deceased", datetime.date(1950, 1, 1), status="deceased"),
        "left": person(practice, "left", datetime.date(1970, 1, 1), status="left"),
    }


def names(practice, **filters):
    return sorted(
        cohort_patients(practice, CohortFilters(**filters), today=TODAY).values_list("given_name", flat=True)
    )


def test_every_cohort_leaves_out_children_the_dead_and_those_who_left_unless_asked(practice, register):
    assert names(practice) == ["adult", "old", "sixteen_today"]
    assert "child" in names(practice, include_under_16=True)
    assert "deceased" in names(practice, include_deceased=True)
    assert "left" in names(practice, include_left=True)


def test_age_bands_count_birthdays_exactly(practice, register):
    assert names(practice, max_age=16) == ["sixteen_today"]
    assert names(practice, min_age=17, max_age=60) == ["adult"]
    assert names(practice, min_age=90) == ["old"]


def test_turning_16_within_days_finds_the_weekly_safety_check(practice, register):
    assert names(practice, turning_16_within_days=7) == ["turns_16_in_5_days"]
    assert names(practice, turning_16_within_days=3) == []


def test_contact_details_present_or_absent(practice, register):
    assert names(practice, has_mobile="yes") == ["adult"]
    assert names(practice, has_mobile="no") == ["old", "sixteen_today"]
    assert names(practice, has_email="yes", has_address="yes") == ["adult"]
    assert names(practice, has_address="no") == ["old", "sixteen_today"]


def test_flags_present_and_absent(practice, register):
    Flag.objects.create(
        patient=register["adult"], kind=FlagKind.ENHANCED_REVIEW, code="1364731000000104", term="104"
    )
    assert names(practice, flags_present=["enhanced_review"]) == ["adult"]
    assert names(practice, flags_absent=["enhanced_review", "large_print"]) == ["old", "sixteen_today"]


def test_preference_access_status_contact_and_registration(practice, register):
    Patient.objects.filter(pk=register["old"].pk).update(
        preference="no_access", access_status="declined", last_contacted_at=timezone.now()
    )
    assert names(practice, preferences=["no_access"]) == ["old"]
    assert names(practice, access_statuses=["declined"]) == ["old"]
    assert "old" not in names(practice, not_contacted_in_days=30)
    assert names(practice, registered_since=datetime.date(2019, 1, 1)) == ["adult"]


def test_29_february_birthdays_fall_on_28_february_in_other_years():
    assert years_before(datetime.date(2024, 2, 29), 1) == datetime.date(2023, 2, 28)


def test_filters_read_back_as_they_were_saved_and_in_plain_english():
    filters = CohortFilters(
        min_age=16,
        has_mobile="yes",
        flags_absent=["enhanced_review"],
        registered_since=datetime.date(2024, 1, 1),
    )
    assert CohortFilters.from_dict(json.loads(json.dumps(filters.to_dict()))) == filters
    assert filters.describe() == [
        "aged 16 or over",
        "with a mobile",
        "not flagged: enhanced review needed before access",
        "registered since 1 January 2024",
    ]


@pytest.fixture
def staff(client, practice):
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "pm.jones"))


def test_staff_save_a_cohort_and_see_its_count_in_the_list(staff, practice, register):
    url = reverse("staff:cohort_new", kwargs={"ods": practice.ods_code})
    response = staff.post(url, {"name": "Adults with a mobile", "has_mobile": "yes", "min_age": "17"})
    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert cohort.filters == {"has_mobile": "yes", "min_age": 17}
    page = staff.get(reverse("staff:cohorts", kwargs={"ods": practice.ods_code})).content.decode()
    assert "Adults with a mobile" in page and "with a mobile" in page
    assert AuditEntry.objects.filter(action="cohort.save", actor="pm.jones").exists()


def test_the_live_count_answers_with_numbers_only(staff, practice, register):
    url = reverse("staff:cohort_count", kwargs={"ods": practice.ods_code})
    body = staff.get(url, {"name": "", "has_mobile": "yes"}).json()
    assert body == {"count": 1, "description": ["with a mobile"]}
    bad = staff.get(url, {"min_age": "50", "max_age": "20"})
    assert bad.status_code == 400
    assert "oldest age" in bad.json()["errors"]["max_age"]


def test_cohort_names_are_unique_within_a_practice(staff, practice):
    url = reverse("staff:cohort_new", kwargs={"ods": practice.ods_code})
    staff.post(url, {"name": "Turning 16"})
    page = staff.post(url, {"name": "turning 16"}).content.decode()
    assert "There is already a cohort called" in page


def test_a_flag_cannot_be_both_wanted_and_not_wanted(staff, practice):
    url = reverse("staff:cohort_new", kwargs={"ods": practice.ods_code})
    page = staff.post(
        url, {"name": "x", "flags_present": ["braille"], "flags_absent": ["braille"]}
    ).content.decode()
    assert "cannot be both wanted and not wanted" in page


def test_a_cohort_of_another_practice_cannot_be_opened_or_deleted(staff, practice, other_practice):
    theirs = Cohort.objects.create(practice=other_practice, name="Theirs", filters={}, created_by="x")
    assert (
        staff.get(
            reverse("staff:cohort", kwargs={"ods": practice.ods_code, "cohort_id": theirs.pk})
        ).status_code
        == 404
    )
    staff.post(reverse("staff:cohort_delete", kwargs={"ods": practice.ods_code, "cohort_id": theirs.pk}))
    assert Cohort.objects.filter(pk=theirs.pk).exists()


def test_has_any_of_these_flags_means_any_and_all_of_them_only_when_asked_so(practice, register):
    """H49: "has any of these flags" found only the patients with all of them."""
    Flag.objects.create(
        patient=register["adult"], kind=FlagKind.SAFEGUARDING_ADULT, code="417430008", term="x"
    )
    Flag.objects.create(patient=register["old"], kind=FlagKind.SAFEGUARDING_ADULT, code="417430008", term="x")
    Flag.objects.create(patient=register["old"], kind=FlagKind.DOMESTIC_ABUSE, code="1", term="x")
    Flag.objects.create(patient=register["sixteen_today"], kind=FlagKind.DOMESTIC_ABUSE, code="1", term="x")
    either = ["safeguarding_adult", "domestic_abuse"]
    assert names(practice, flags_present=either) == ["adult", "old", "sixteen_today"]
    assert names(practice, flags_all=either) == ["old"]
    described = CohortFilters(flags_present=either, flags_all=["large_print"]).describe()
    assert "flagged with any of: safeguarding (adult), domestic abuse" in described
    assert "flagged with all of: large print" in described


def test_an_ended_flag_counts_for_no_cohort(practice, register):
    Flag.objects.create(
        patient=register["adult"], kind=FlagKind.LARGE_PRINT, code="1", term="x", ended_on=TODAY, ended_by="x"
    )
    assert names(practice, flags_present=["large_print"]) == []
    assert "adult" in names(practice, flags_absent=["large_print"])


def test_needs_enhanced_review_now_reads_the_codes_by_date(practice, register):
    """H47: a cohort of patients who need review uses the same answer as the decision."""
    for who, first, then in (
        ("adult", "review_not_indicated", "enhanced_review"),
        ("old", "enhanced_review", "review_not_indicated"),
    ):
        Flag.objects.create(
            patient=register[who], kind=first, code="1", term="x", recorded_on=datetime.date(2023, 1, 1)
        )
        Flag.objects.create(
            patient=register[who], kind=then, code="2", term="x", recorded_on=datetime.date(2024, 1, 1)
        )
    assert names(practice, needs_review="yes") == ["adult"]
    assert names(practice, needs_review="no") == ["old", "sixteen_today"]


def test_a_cohort_lists_its_patients_paged_with_nhs_number_age_and_flags_and_the_view_is_audited(
    staff, practice, register
):
    Flag.objects.create(
        patient=register["adult"], kind=FlagKind.SAFEGUARDING_ADULT, code="417430008", term="Adult at risk"
    )
    for n in range(25):
        person(practice, f"extra{n:02d}", datetime.date(1990, 6, 15))
    cohort = Cohort.objects.create(practice=practice, name="Everyone", filters={}, created_by="x")
    url = reverse("staff:cohort_members", kwargs={"ods": practice.ods_code, "cohort_id": cohort.pk})
    first = staff.get(url).content.decode()
    adult = register["adult"]
    nhs = adult.nhs_number
    assert f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" in first and "Adult at risk" in first
    ages = {age_on(adult.date_of_birth, timezone.localdate() + datetime.timedelta(days=d)) for d in (-1, 0)}
    assert "TEST, adult" in first and any(f">{age}<" in first for age in ages)
    assert "page 1 of 2" in first and "?page=2" in first
    ids = json.loads(AuditEntry.objects.get(action="cohort.patients_view").detail)["patient_ids"]
    assert adult.pk in ids and len(ids) == 25
    second = staff.get(url, {"page": 2}).content.decode()
    assert second.count('id="cohort-members"') == 1 and "TEST, adult" not in second
    assert (
        "Everyone" in staff.get(reverse("staff:cohorts", kwargs={"ods": practice.ods_code})).content.decode()
    )


def test_the_patients_of_another_practices_cohort_are_not_found(staff, practice, other_practice):
    theirs = Cohort.objects.create(practice=other_practice, name="Theirs", filters={}, created_by="x")
    url = reverse("staff:cohort_members", kwargs={"ods": practice.ods_code, "cohort_id": theirs.pk})
    assert staff.get(url).status_code == 404
