"""A reviewer works this week's safety sweep in Chromium: the worklist names the patient and why, sign-off is
refused while a patient has no outcome, the outcome's errors are shown, and the signed sweep reads as evidence."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.assurance import sweep
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.sweep_fixtures import make
from tests.browser.conftest import go_to

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_looks_at_each_patient_and_signs_the_sweep_off(page, sign_in_as, practice):
    week = sweep.week_of(timezone.localdate())
    make(practice, "Newcomer", registered_on=week - datetime.timedelta(days=2))
    reviewer = factories.staff(practice, Role.REVIEWER)
    sign_in_as(reviewer)
    go_to(page, "Weekly safety sweep")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly safety sweep")
    with page.expect_navigation():
        page.get_by_role("button", name="Make this week's sweep now").click()
    expect(page.locator("#sweep-patients")).to_contain_text("Test Newcomer")
    expect(page.locator("#sweep-patients")).to_contain_text("New registration")
    expect(page.get_by_role("button", name="Sign off the sweep")).to_have_count(0)
    expect(page.get_by_text("1 patient has no outcome yet")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Test Newcomer").click()
    page.get_by_label("Passed to a clinician").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Say which flag you added, or which clinician you passed it to"
    )
    page.get_by_label("Note").fill("Dr Shah to check the new patient's codes")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#sweep-patients")).to_contain_text("Passed to a clinician")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign off the sweep").click()
    expect(page.get_by_text("Kept as evidence: it does not change.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign off the sweep")).to_have_count(0)
    assert sweep.sweep_record(practice)[0].signed_off_by == reviewer.username
