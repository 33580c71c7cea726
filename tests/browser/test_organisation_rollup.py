"""An ICB's observer signs in, lands on the roll-up of its practices, sorts it by a column's heading, opens one
practice's figures and the monthly return: each page passes axe-core, with no JavaScript needed to sort."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from recordaccess.audit.services import Actor
from recordaccess.practices import services
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import real_errors, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def observer(db):
    actor = Actor.system("tests")
    icb = services.create_organisation(actor=actor, code="QWE", name="West Moor ICB", kind="icb")
    pcn = services.create_organisation(
        actor=actor, code="U00001", name="Riverside PCN", kind="pcn", parent_code="QWE"
    )
    factories.practice("B00001", name="Beck Lane Surgery")
    factories.practice("C00001", name="Aire Valley Practice")
    services.change_organisation_practices(actor=actor, organisation=pcn, add=["B00001"])
    services.change_organisation_practices(actor=actor, organisation=icb, add=["C00001"])
    user = services.add_organisation_observer_account(
        actor=actor,
        organisation=icb,
        username="icb-jo",
        password=factories.TEST_PASSWORD,
        email="jo@icb.example",
    )
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def test_an_observer_sorts_the_roll_up_and_opens_a_practice_and_the_return(new_context, observer):
    page = new_context(bypass_csp=True).new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    sign_in(page, observer)
    expect(page.get_by_role("heading", level=1)).to_have_text("West Moor ICB: its practices side by side")
    rows = page.locator("#rollup tbody th")
    expect(rows).to_have_text([r"Aire Valley Practice C00001", r"Beck Lane Surgery B00001"])
    assert violations(page) == []

    with page.expect_navigation():
        page.locator("#column-practice").get_by_role("link").click()  # already by name: now the other way
    expect(page.locator("#column-practice")).to_have_attribute("aria-sort", "descending")
    expect(rows).to_have_text([r"Beck Lane Surgery B00001", r"Aire Valley Practice C00001"])

    with page.expect_navigation():
        page.get_by_role("link", name="Beck Lane Surgery").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beck Lane Surgery (B00001)")
    assert violations(page) == []

    with page.expect_navigation():  # the organisation's own header (at this width every link shows)
        page.locator(".nhsuk-header__navigation").get_by_role(
            "link", name="Monthly return", exact=True
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly return")
    expect(page.locator("#pomi tbody tr")).to_have_count(2)
    assert violations(page) == []
    assert real_errors(page.console_errors) == []
