"""The programme dashboard in Chromium: an observer opens it from the header, reads the charts at a glance (the
tables beside them read by screen readers, not shown), meets a clear error for a date in the future, and axe-core
finds nothing wrong, errors showing. Data are a day or more old, so the time of day does not matter."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.axe import accessible
from tests.browser.conftest import go_to, sign_in
from tests.reports.conftest import access_request, patient

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_observer_reads_the_programme_dashboard_at_a_glance(new_context, monkeypatch):
    practice = factories.practice("A81001", name="Riverside Surgery")
    today = timezone.localdate()
    # The helpers count days back from their TODAY: count back from the real today instead.
    monkeypatch.setattr("tests.reports.conftest.TODAY", today)
    for i in range(1, 4):
        patient(practice, i)
    access_request(practice, 1, received=20, verified=18)
    access_request(practice, 2, received=9, verified=8, decided=2, outcome="granted")
    page = sign_in(new_context(bypass_csp=True).new_page(), factories.staff(practice, Role.OBSERVER))
    go_to(page, "Programme dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    expect(page.locator("#figure-waiting")).to_have_text("1")
    expect(page.locator("#as-at")).to_contain_text("Figures as at")
    funnel = page.locator("#chart-funnel")
    expect(funnel.locator(".recordaccess-bar").first).to_be_visible()
    expect(funnel.get_by_role("table")).to_contain_text("Requests for access received")
    hidden = page.locator("#chart-funnel-for-screen-readers").bounding_box()
    assert hidden["width"] <= 1 and hidden["height"] <= 1  # read by screen readers, not shown
    expect(page.locator("#chart-waiting svg")).to_be_visible()
    expect(page.get_by_text("Asker1")).to_have_count(0)
    accessible(page)
    group = page.get_by_role("group", name="To")
    tomorrow = today + datetime.timedelta(days=1)
    group.get_by_label("Day").fill(str(tomorrow.day))
    group.get_by_label("Month").fill(str(tomorrow.month))
    group.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Show these dates").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The end date must be today or in the past")
    accessible(page)
