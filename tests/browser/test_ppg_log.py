"""The Patient Participation Group's log in Chromium: a practice manager logs a meeting and its action through the
NHS date inputs, meets clear errors on the way, sees the action overdue and takes the pack; the question figures
show their charts to an observer. axe-core checks each page, errors showing."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.audit.services import Actor
from recordaccess.practices.roles import Role
from recordaccess.questions.inbox import receive
from recordaccess.questions.models import QuestionRoute, Topic
from tests import factories
from tests.browser.axe import accessible
from tests.browser.conftest import go_to, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_practice_manager_logs_a_meeting_and_its_action_and_takes_the_pack(new_context):
    practice = factories.practice("A81001", name="Riverside Surgery")
    page = sign_in(new_context(bypass_csp=True).new_page(), factories.staff(practice, Role.ADMINISTRATOR))
    today = timezone.localdate()
    held_on = today - datetime.timedelta(days=10)

    go_to(page, "Patient Participation Group")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient Participation Group")
    accessible(page)
    page.get_by_role("link", name="Add a meeting").click()
    _fill_date(page, "Date of the meeting", today + datetime.timedelta(days=3))
    page.get_by_role("button", name="Save meeting").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The meeting date must be today or in the past")
    expect(summary).to_contain_text("Enter who attended")
    expect(summary).to_contain_text("Enter what was discussed")
    accessible(page)
    summary.get_by_role("link", name="Enter who attended").click()
    expect(page.get_by_label("Who attended")).to_be_focused()

    _fill_date(page, "Date of the meeting", held_on)
    page.get_by_label("Who attended").fill("Jean Smith, PPG chair\nSam Taylor, practice manager")
    page.get_by_label("What was discussed").fill("The questions page and the text message we will send")
    page.get_by_label("The group's feedback (optional)").fill("Ask for a large-print leaflet")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting on")
    expect(page.locator("#ppg-meeting")).to_contain_text("Sam Taylor, practice manager")
    accessible(page)

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What is to be done").fill("Put large-print leaflets at reception")
    page.get_by_label("Who will do it").fill("Practice manager")
    _fill_date(page, "Due date", held_on - datetime.timedelta(days=1))
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The due date must be on or after the meeting"
    )
    accessible(page)
    _fill_date(page, "Due date", today - datetime.timedelta(days=2))
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("#ppg-actions")).to_contain_text("Put large-print leaflets at reception")
    expect(page.locator("#ppg-actions")).to_contain_text("Overdue")

    page.get_by_role("link", name="Back to the PPG log").click()
    open_actions = page.locator("#open-actions")
    expect(open_actions).to_contain_text("Put large-print leaflets at reception")
    expect(open_actions).to_contain_text("Overdue by 2 days")
    expect(page.locator("#ppg-meetings")).to_contain_text("1 action, 1 open")
    accessible(page)
    pack = page.request.get(
        page.get_by_role("link", name="Download the pack for the PPG (PDF)").get_attribute("href")
    )
    assert pack.status == 200 and pack.headers["content-type"] == "application/pdf"
    assert pack.body().startswith(b"%PDF")

    page.get_by_role("link", name="Put large-print leaflets at reception").first.click()
    page.get_by_label("Done", exact=True).check()
    _fill_date(page, "Date it was done", today)
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("#ppg-actions")).to_contain_text("Done")
    page.get_by_role("link", name="Back to the PPG log").click()
    expect(page.locator("#open-actions")).to_have_text("No open actions.")


def test_an_observer_reads_the_question_figures_at_a_glance(new_context):
    practice = factories.practice("A81001", name="Riverside Surgery")
    for topic, route in [(Topic.RESULTS, QuestionRoute.SMS), (Topic.RESULTS, QuestionRoute.LINK),
                         (Topic.PROXY, QuestionRoute.CALL)]:  # fmt: skip
        receive(
            actor=Actor.system("t"),
            practice=practice,
            route=route,
            topic=topic,
            text="Private words",
            name="Ann",
        )
    page = sign_in(new_context(bypass_csp=True).new_page(), factories.staff(practice, Role.OBSERVER))
    go_to(page, "Question figures")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients' questions in figures")
    expect(page.locator("#figure-total")).to_have_text("3")
    topics = page.locator("#chart-topics")
    expect(topics.locator(".recordaccess-bar").first).to_be_visible()
    expect(topics.get_by_role("table")).to_contain_text("Test results before the GP has discussed them")
    hidden = page.locator("#chart-topics-for-screen-readers").bounding_box()
    assert hidden["width"] <= 1 and hidden["height"] <= 1  # read by screen readers, not shown
    expect(page.get_by_text("Private words")).to_have_count(0)
    accessible(page)
    _fill_date(page, "To", timezone.localdate() + datetime.timedelta(days=1))
    page.get_by_role("button", name="Show these dates").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The end date must be today or in the past")
    accessible(page)
