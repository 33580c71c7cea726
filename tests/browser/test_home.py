"""Each role signs in to its overview, finds its work waiting as counts, and every count's link opens its page; the
header fits one line at the usual window size (issue 13)."""

import pytest
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from tests import factories, home_work
from tests.browser.conftest import SETTLED, VIEWPORT, real_errors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_finds_its_work_on_the_overview_and_each_link_opens(page, sign_in_as, practice, role):
    home_work.fill(practice, reviewer_username="home-reviewer")
    sign_in_as(factories.staff(practice, role, "home-reviewer" if role == Role.REVIEWER else None))
    overview = page.url
    items = page.locator("#home-work li")
    expected = home_work.EXPECTED[role]
    expect(items).to_have_count(len(expected))
    for index, (count, label) in enumerate(expected):
        expect(items.nth(index)).to_have_text(f"{count:,} {label}")
    for index, link in enumerate(home_work.LINKS[role]):
        page.goto(overview)
        with page.expect_navigation() as opened:
            items.nth(index).get_by_role("link").click()
        assert opened.value.status == 200, (link, opened.value.status)
        assert page.url == overview + link
        expect(page.get_by_role("heading", level=1)).not_to_have_text("You cannot open this page")
    assert real_errors(page.console_errors) == []


@pytest.mark.parametrize("role", list(Role))
def test_no_header_link_is_folded_into_more_at_the_usual_window_size(page, sign_in_as, practice, role):
    assert page.viewport_size == VIEWPORT  # 1280 by 800, with the shipped font
    sign_in_as(factories.staff(practice, role))
    header = page.locator(".nhsuk-header[data-nhsuk-header-init]")
    header.wait_for()
    page.evaluate(SETTLED)
    expect(header.locator(".nhsuk-header__menu-list a")).to_have_count(0)
    expect(header.locator(".nhsuk-header__menu-toggle")).to_be_hidden()
    for link in header.locator(".nhsuk-header__navigation-list a").all():
        expect(link).to_be_visible()
