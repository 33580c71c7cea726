"""The cohort page's count follows the filters as a practice manager changes them."""

import datetime

import pytest
from playwright.sync_api import expect

from recordaccess.patients.models import Patient
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_count_updates_as_filters_change_and_the_cohort_saves(page, live_server, sign_in_as):
    practice = factories.practice("A81001", name="Riverside Surgery")
    for number, born, mobile in [
        ("9434765919", datetime.date(1950, 1, 1), "07700900123"),
        ("4010232137", datetime.date(1990, 1, 1), ""),
        ("9990000018", datetime.date(1940, 1, 1), ""),
    ]:
        Patient.objects.create(
            practice=practice,
            nhs_number=number,
            given_name="A",
            family_name="B",
            date_of_birth=born,
            mobile=mobile,
        )
    sign_in_as(factories.staff(practice, Role.ADMINISTRATOR))

    page.goto("/staff/p/A81001/cohorts/new/")
    count = page.locator("#cohort-count")
    expect(count).to_have_text("3")
    page.get_by_label("Youngest age").fill("65")
    expect(count).to_have_text("2")
    page.get_by_role("group", name="Has a mobile number").get_by_label("Yes").check()
    expect(count).to_have_text("1")

    page.get_by_label("Name").fill("Over 65 with a mobile")
    page.get_by_role("button", name="Save cohort").click()
    expect(page.get_by_text("Cohort “Over 65 with a mobile” saved.")).to_be_visible()
    row = page.locator("#cohort-list tbody tr")
    expect(row).to_contain_text("Over 65 with a mobile")
    expect(row).to_contain_text("aged 65 or over; with a mobile")
