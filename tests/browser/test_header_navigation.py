"""The header's links are reached the same way on any screen: shown, or folded into its "More" menu."""

import pytest
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.conftest import VIEWPORT, go_to

pytestmark = pytest.mark.django_db(transaction=True)


def test_go_to_follows_a_header_link_whether_the_header_shows_it_or_folds_it_into_more(
    page, sign_in_as, practice
):
    sign_in_as(factories.staff(practice, Role.ADMINISTRATOR))
    header = page.locator(".nhsuk-header__navigation")
    for width, folded in [(VIEWPORT["width"], False), (480, True)]:  # the fold is fixed by the shipped font
        page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
        go_to(page, "Overview")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        in_menu = header.locator(".nhsuk-header__menu-list").get_by_role(
            "link", name="Practice", include_hidden=True
        )
        expect(in_menu).to_have_count(1 if folded else 0)
        href = header.get_by_role("link", name="Practice", include_hidden=True).get_attribute("href")
        go_to(page, "Practice")
        expect(page).to_have_url(page.url.split("/staff/")[0] + href)
