"""A member of staff signs in with a password and an authenticator app, as a person would."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.conftest import real_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_code(secret: str, used: set[str]) -> str:
    """The current code, or the next one if this one was used: django-otp never accepts a code twice."""
    totp = pyotp.TOTP(secret)
    code = totp.now()
    while code in used:
        time.sleep(1)
        code = totp.now()
    used.add(code)
    return code


def _sign_in_with_password(page, user):
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_staff_member_enrols_an_authenticator_then_signs_in_again_with_a_code(page, live_server):
    practice = factories.practice("A81001", name="Riverside Surgery")
    user = factories.staff(practice, Role.RECEPTION, "r.patel", with_device=False)
    used: set[str] = set()

    stylesheet = []
    page.on("response", lambda r: stylesheet.append(r.status) if "nhsuk-frontend.min.css" in r.url else None)
    _sign_in_with_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator(".recordaccess-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Security code").fill(_fresh_code(secret, used))
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Surgery")
    assert stylesheet and set(stylesheet) == {200}
    page.screenshot(path="test-results/staff-overview.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    _sign_in_with_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(_fresh_code(secret, used))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Surgery")
    assert real_errors(page.console_errors) == []


def test_a_wrong_code_shows_the_error_summary_which_leads_to_the_field(page, live_server):
    practice = factories.practice("A81001", name="Riverside Surgery")
    user = factories.staff(practice, Role.REVIEWER, "dr.shah")
    _sign_in_with_password(page, user)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Security code")).to_be_focused()
    assert page.title().startswith("Error: ")
