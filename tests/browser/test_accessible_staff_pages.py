"""axe-core finds no WCAG 2.2 A or AA violation on any staff page, opened in Chromium by an administrator and by
reception: every page a GET opens, found from the URL configuration (tests/pages.py), with the demo practice's
rows behind the pages that show one."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from recordaccess.assurance import demo_plan, demo_sweep
from recordaccess.practices.models import Practice
from recordaccess.practices.roles import Role
from recordaccess.questions import demo_ppg
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import sign_in
from tests.pages import fill, staff_page_routes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)
    practice = Practice.objects.get(ods_code="Y12345")
    demo_ppg.load(
        practice=practice, report=lambda what, count: None
    )  # idempotent: the demo may hold it already
    demo_plan.load(practice, lambda what, count: None)  # likewise
    demo_sweep.load(practice=practice, report=lambda what, count: None)  # likewise
    return practice


@pytest.fixture
def staff_page(new_context):
    """A fresh browser for each member of staff; it bypasses our Content Security Policy to inject axe-core."""

    def open_as(user):
        page = sign_in(new_context(bypass_csp=True).new_page(), user)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return page

    return open_as


def walk(page, practice) -> dict:
    """axe-core's violations on each staff page this user can open, by path."""
    found = {}
    for route in staff_page_routes():
        path = fill(route, practice)
        if path is None:
            continue
        answer = page.request.get(path, max_redirects=0)  # actions refuse a GET with an empty 405
        if answer.status != 200 or "html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(path)
        found[path] = violations(page)
    return found


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.RECEPTION])
def test_axe_finds_no_violation_on_any_staff_page(demo, staff_page, role):
    page = staff_page(factories.staff(demo, role))
    found = walk(page, demo)
    assert len(found) > (25 if role == Role.ADMINISTRATOR else 8), sorted(found)
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_axe_finds_no_violation_on_staff_forms_showing_their_errors(demo, staff_page):
    page = staff_page(factories.staff(demo, Role.ADMINISTRATOR))
    page.goto("/staff/p/Y12345/practice/dpia/")
    completed = page.get_by_role("group", name="Date the DPIA was completed")
    completed.get_by_label("Day").fill("31")
    completed.get_by_label("Month").fill("2")
    completed.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save DPIA").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the date the DPIA was completed")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/dpia/")
    page.get_by_role("button", name="Start a new version").click()
    page.goto("/staff/p/Y12345/dpia/risks/")
    page.get_by_role("button", name="Add risk").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose how likely the harm is")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/dpia/sign-off/")
    page.get_by_role("button", name="Sign off version 2").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the date of the next review")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/plan/")
    page.get_by_role("button", name="Record sharing").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose who the plan was shared with")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/plan/communication/")
    sms = page.get_by_role("group", name="Text messages (SMS): the date")
    sms.get_by_label("Day").fill("31")
    sms.get_by_label("Month").fill("2")
    sms.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must be a real date")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/requests/new/")
    page.get_by_role("button", name="Save request").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert violations(page) == []
    page.goto("/staff/p/Y12345/inbox/new/")
    page.get_by_role("button", name="Add to the inbox").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter their question")
    assert violations(page) == []
    page.goto("/staff/p/Y12345/inbox/?show=new")
    page.locator("#questions tbody a").first.click()
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write the answer")
    assert violations(page) == []
