"""A reviewer takes a flagged request from the waiting list to a decision and a coding export, in a real browser."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from recordaccess.review.models import CodingEntry, Decision
from tests import factories
from tests.browser.conftest import go_to, real_errors
from tests.review.conftest import SAFEGUARDING, waiting_request

pytestmark = pytest.mark.django_db(transaction=True)
QUESTIONS = [
    "Information about other people (third-party information)",
    "Information likely to cause serious harm to the patient or someone else",
    "Risk that the patient is being coerced",
    "Results waiting to be discussed with the patient",
]


def test_from_the_waiting_list_to_a_decision_and_a_coding_export(page, sign_in_as, practice):
    request = waiting_request(practice, flag=SAFEGUARDING)
    sign_in_as(factories.staff(practice, Role.REVIEWER, "dr-jones"))
    go_to(page, "Waiting list")
    row = page.locator("#waiting-list tr", has_text=request.reference_display)
    expect(row).to_contain_text("Flag demands enhanced review")
    row.get_by_role("link", name="Review").click()
    page.get_by_role("button", name="Claim this request for review").click()
    expect(page.get_by_text("You are reviewing this request")).to_be_visible()
    expect(page.locator("#flags")).to_contain_text("Vulnerable adult")

    page.get_by_role("button", name="Record the decision").click()  # nothing chosen yet
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the decision")
    page.get_by_label("Access granted", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()  # the checklist is still empty
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Confirm you have considered")

    page.get_by_label("I have considered the patient's safeguarding and enhanced-review flags").check()
    for question in QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("None found").check()
    page.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_text("Checklist complete")).to_be_visible()
    expect(page.get_by_label("Access granted", exact=True)).to_be_checked()  # one form: the decision is kept

    page.get_by_label("Access granted", exact=True).check()
    page.get_by_label("Level of access to give").select_option("prospective")
    starts = page.get_by_role("group", name="Access starts on")  # day, month and year boxes (issue 13)
    today = timezone.localdate()
    for part, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        starts.get_by_label(part).fill(str(value))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    expect(page.locator("#decision")).to_contain_text("1364751000000106")
    assert Decision.objects.get().decided_by == "dr-jones"

    go_to(page, "Waiting list")
    page.get_by_role("link", name="Coding worklist").click()
    expect(page.locator("#worklist")).to_contain_text("Enhanced review not indicated")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the codes as CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[1][:2] == [request.patient.nhs_number, "1364751000000106"]
    page.goto(page.url)
    page.get_by_role("button", name="I have entered these codes").click()
    expect(page.get_by_text("1 code marked as entered in the clinical system")).to_be_visible()
    assert CodingEntry.objects.get().coded_by == "dr-jones"
    assert real_errors(page.console_errors) == []
