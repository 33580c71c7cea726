"""A campaign to the demo practice's cohort, end to end from the staff pages in a real browser: written by the
practice manager, approved by the IG lead, sent by the worker, and answered by a patient through their link."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from recordaccess.outreach.models import Campaign, OutboxItem
from recordaccess.patients.models import Patient
from recordaccess.practices.demo import DEMO_ACCOUNTS
from recordaccess.practices.models import StaffUser
from tests.browser.conftest import go_to

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"


def test_a_campaign_to_the_demo_cohort_runs_end_to_end(page, new_context, sign_in_as, db_tasks):
    call_command("demo", verbosity=0)
    cohort = "Adults with a mobile, not under review"

    sign_in_as(StaffUser.objects.get(username="demo-admin"), PASSWORDS["demo-admin"])
    go_to(page, "Campaigns")
    page.get_by_role("link", name="Create a campaign").click()
    page.get_by_role("button", name="Check who it reaches").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a name for the campaign")
    page.get_by_label("Name").fill("Online access launch")
    page.get_by_label("Cohort").select_option(label=cohort)
    page.get_by_label("Text message template").select_option(label="Text message")
    page.get_by_role("button", name="Check who it reaches").click()
    expect(page.get_by_role("heading", name="Online access launch")).to_be_visible()
    # The cohort is "not under review" (no 104), yet holds patients with safeguarding flags: they must not get
    # the opt-out text, so this campaign cannot be approved until it has the higher-risk wording for them.
    expect(page.locator("#review-wording-missing")).to_contain_text("patients need enhanced review")
    go_to(page, "Campaigns")
    page.get_by_role("link", name="Create a campaign").click()
    page.get_by_label("Name").fill("Online access launch, both wordings")
    page.get_by_label("Cohort").select_option(label=cohort)
    page.get_by_label("Text message template").select_option(label="Text message")
    page.get_by_label("Text message for patients who need enhanced review").select_option(
        label="Text message (higher risk)"
    )
    page.get_by_role("button", name="Check who it reaches").click()
    expect(page.get_by_role("heading", name="Online access launch, both wordings")).to_be_visible()
    expect(page.locator("#campaign-wording")).to_contain_text("Higher-risk (opt-in) wording")
    reached = int(
        page.locator("#campaign-plan tr", has_text="Everyone reached")
        .locator("td")
        .inner_text()
        .replace(",", "")
    )
    assert reached > 100
    campaign_url = page.url
    expect(page.get_by_role("button", name="Approve this campaign")).to_have_count(0)  # not for its author
    expect(page.get_by_text("Another administrator must approve this campaign")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(StaffUser.objects.get(username="demo-ig"), PASSWORDS["demo-ig"])
    page.goto(campaign_url)
    page.get_by_role("button", name="Approve this campaign").click()
    expect(page.get_by_text("Campaign approved")).to_be_visible()
    campaign = Campaign.objects.get(name="Online access launch, both wordings")
    Campaign.objects.filter(pk=campaign.pk).update(  # whatever the time of day the tests run
        window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59), send_on_sundays=True
    )
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sending: messages go out inside the sending window")).to_be_visible()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    page.reload()
    expect(page.locator(".nhsuk-tag", has_text="Sent")).to_be_visible()
    assert OutboxItem.objects.filter(message__campaign=campaign).count() == reached

    page.goto(campaign_url.split("/campaigns/")[0] + "/outbox/")
    first = page.locator(".nhsuk-card").first
    expect(first).to_contain_text("Text message to 07")
    link = re.search(r"/r/[0-9a-z]{10}/", first.inner_text()).group(0)

    patient_page = new_context().new_page()
    patient_page.goto(link)
    expect(patient_page.get_by_role("heading", level=1)).to_have_text(
        "Tell us your choice about seeing your GP record online"
    )
    patient_page.get_by_role("button", name="Send your answer").click()
    expect(patient_page.locator(".nhsuk-error-summary")).to_contain_text("Select what you would like to do")
    patient_page.get_by_label("I have questions: please contact me").check()
    patient_page.get_by_label("If you have a question, what would you like to ask?").fill(
        "Who else can see it?"
    )
    patient_page.get_by_role("button", name="Send your answer").click()
    expect(patient_page.get_by_text("Thank you: we have your answer")).to_be_visible()
    expect(patient_page.get_by_text("will contact you to answer your questions")).to_be_visible()
    patient_page.context.close()

    answered = OutboxItem.objects.get(body__contains=link).message.patient
    assert Patient.objects.get(pk=answered.pk).preference == "has_questions"
    go_to(page, "Replies")
    page.get_by_role("link", name=re.compile("Recorded on the patient's record")).click()
    expect(page.locator("#reply-list")).to_contain_text(str(answered))
    expect(page.locator("#reply-list")).to_contain_text("Has questions")
    go_to(page, "Question inbox")
    row = page.locator("#questions tr", has_text="Who else can see it?")
    while not row.count():  # the newest question is due last: after the demo's, on a later page
        with page.expect_navigation():
            page.locator("a[rel=next]").first.click()
    row.get_by_role("link").click()
    page.get_by_role("button", name="Mark answered").click()
    expect(page.locator("#closed")).to_contain_text("Answered by demo-ig")
