"""Mistakes in the apps' declarations of their pages stop the start-up instead of opening or hiding a page."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from recordaccess.practices import access
from recordaccess.practices.access import Menu, MenuItem, Stage, staff_page
from recordaccess.practices.roles import ADMIN, ALL_ROLES, Role


def view(request):
    """Never called: the declarations are what is tested."""


@pytest.fixture(autouse=True)
def _empty_registry(monkeypatch):
    """Declarations of the tests' own, kept out of the project's (declared first, so they land in the real one)."""
    access.access_rules()
    monkeypatch.setattr(access, "_rules", {})
    monkeypatch.setattr(access, "_menus", {menu: {} for menu in Menu})


def test_a_page_declares_its_route_name_and_rule_together():
    pattern = staff_page("things/", view, "things", allow=ADMIN)
    assert (str(pattern.pattern), pattern.name, pattern.callback) == ("things/", "things", view)
    assert access.access_rules()["staff:things"] == ADMIN


def test_a_name_declared_again_with_another_rule_is_refused():
    staff_page("things/", view, "things", allow=ADMIN)
    staff_page("things/", view, "things", allow=ADMIN)  # the same again is harmless
    with pytest.raises(ImproperlyConfigured, match="two different access rules"):
        staff_page("things/all/", view, "things", allow=ALL_ROLES)


def test_two_pages_in_one_place_in_a_menu_are_refused():
    staff_page("things/", view, "things", allow=ADMIN, menu=[MenuItem(Menu.PATIENTS, 10, "Things")])
    staff_page("others/", view, "others", allow=ADMIN, menu=[MenuItem(Menu.WAITING_LIST, 10, "Others")])
    with pytest.raises(ImproperlyConfigured, match="share position 10"):
        staff_page("more/", view, "more", allow=ADMIN, menu=[MenuItem(Menu.PATIENTS, 10, "More")])


def test_only_roles_open_a_practices_page_never_a_sign_in_stage():
    staff_page("things/", view, "things", allow=ADMIN)
    staff_page("sign-in/", view, "sign_in", allow=Stage.ANYONE)
    assert access.allows("staff:things", Role.ADMINISTRATOR)
    assert not any(access.allows("staff:sign_in", role) for role in ALL_ROLES)
    assert not any(access.allows("staff:nowhere", role) for role in ALL_ROLES)
