"""A practice manager invites a GP who already works at another practice; the GP accepts after signing in."""

import pytest

from recordaccess.practices.models import Membership
from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.conftest import real_errors

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_existing_account_joins_another_practice_only_when_its_holder_accepts(
    page, sign_in_as, practice, other_practice
):
    manager = factories.staff(other_practice, Role.ADMINISTRATOR, "b.manager")
    gp = factories.staff(practice, Role.REVIEWER, "dr.shah")

    sign_in_as(manager)
    page.goto(f"/staff/p/{other_practice.ods_code}/staff/")
    page.locator("#id_username").fill("dr.shah")
    page.locator("#id_full_name").fill("Dr Amira Shah")
    page.locator("#id_email").fill("amira.shah@nhs.net")
    adding = page.locator("form", has=page.locator("#id_username"))
    adding.get_by_label("Reviewer (GP or clinician)").check()
    page.locator("#id_password").fill("a long new passphrase")
    with page.expect_navigation():  # the bare asserts below read the page at once: let it arrive first
        page.get_by_role("button", name="Add member of staff").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "There is already an account with the username dr.shah" in summary.inner_text()

    page.locator("#id_invite-username").fill("dr.shah")
    page.locator("form", has=page.locator("#id_invite-username")).get_by_label(
        "Reviewer (GP or clinician)"
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to dr.shah" in page.inner_text("body")
    assert "dr.shah" in page.locator("#staff-invitations").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(gp)
    assert page.get_by_role("heading", name="You have an invitation").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the invitation from Hillside Practice").click()
    assert "You have joined Hillside Practice" in page.inner_text("body")
    with page.expect_navigation():
        page.get_by_role("link", name="Hillside Practice (B82002)").click()
    assert page.get_by_role("heading", name="Hillside Practice").is_visible()
    assert Membership.objects.get(user=gp, practice=other_practice).role == Role.REVIEWER
    assert not real_errors(page.console_errors)
