"""The staff menus each role sees, item by item and in order: each app declares its own items, and together they
must make these two menus."""

import re

import pytest
from django.urls import reverse

from recordaccess.practices import access
from recordaccess.practices.access import Menu, access_rules, allows
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

HEADER_MENU = re.compile(r'<ul class="nhsuk-header__navigation-list">(.*?)</ul>', re.S)
SECTION_MENU = re.compile(r'<ul [^>]*id="section-navigation">(.*?)</ul>', re.S)
LINK = re.compile(
    r'<a\s[^>]*href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*(?:</strong>\s*)?</a>'
    r'|<strong aria-current="page">([^<]+)</strong>'
)

# The header: one link a section, to the first page of it the role may open (issue 13: it fits one line).
MENUS = {
    Role.ADMINISTRATOR: [
        ("Overview", ""),
        ("Patients", "patients/"),
        ("Requests", "requests/"),
        ("Waiting list", "waiting-list/"),
        ("Messages", "campaigns/"),
        ("Practice", "practice/"),
    ],
    Role.REVIEWER: [
        ("Overview", ""),
        ("Patients", "patients/"),
        ("Requests", "requests/"),
        ("Waiting list", "waiting-list/"),
        ("Messages", "replies/"),
        ("Practice", "dpia/"),
    ],
    Role.OBSERVER: [("Overview", ""), ("Waiting list", None)],
}
MENUS[Role.RECEPTION] = MENUS[Role.REVIEWER]
# Each section's own menu: every page of it the role may open, and none it may not.
SECTION_MENUS = {
    "patients/": {
        Role.ADMINISTRATOR: [
            ("Patients", None),
            ("Cohorts", "cohorts/"),
            ("Register", "register/"),
            ("Online accounts", "online-accounts/"),
        ],
        Role.REVIEWER: [("Patients", None), ("Cohorts", "cohorts/")],
        Role.RECEPTION: [("Patients", None), ("Cohorts", "cohorts/")],
        Role.OBSERVER: None,  # refused
    },
    "capacity/": {
        Role.ADMINISTRATOR: [
            ("Waiting list", "waiting-list/"),
            ("Coding worklist", "coding/"),
            ("Conversations and drop-ins", "conversations/"),
            ("Capacity", None),
            ("Settings", "waiting-list/settings/"),
        ],
        Role.REVIEWER: [
            ("Waiting list", "waiting-list/"),
            ("Coding worklist", "coding/"),
            ("Conversations and drop-ins", "conversations/"),
            ("Capacity", None),
        ],
        Role.RECEPTION: [
            ("Waiting list", "waiting-list/"),
            ("Coding worklist", "coding/"),
            ("Conversations and drop-ins", "conversations/"),
            ("Capacity", None),
        ],
        Role.OBSERVER: [],  # one page: no menu of its own
    },
    "replies/": {
        Role.ADMINISTRATOR: [("Campaigns", "campaigns/"), ("Templates", "templates/"), ("Replies", None)],
        Role.REVIEWER: [],
        Role.RECEPTION: [],
        Role.OBSERVER: None,
    },
    "staff/": {
        Role.ADMINISTRATOR: [
            ("Practice and DPIA", "practice/"),
            ("DPIA step by step", "dpia/"),
            ("Practice plan", "plan/"),
            ("Weekly safety sweep", "sweeps/"),
            ("Patients held back", "exclusion/"),
            ("Staff", None),
            ("API tokens", "api-tokens/"),
            ("Audit trail", "audit/"),
            ("Monthly return", "pomi/"),
            ("Patient Participation Group", "ppg/"),
            ("Questions page", "questions-page/"),
        ],
        Role.REVIEWER: None,
        Role.RECEPTION: None,
        Role.OBSERVER: None,
    },
    "ppg/": {
        Role.ADMINISTRATOR: [
            ("Practice and DPIA", "practice/"),
            ("DPIA step by step", "dpia/"),
            ("Practice plan", "plan/"),
            ("Weekly safety sweep", "sweeps/"),
            ("Patients held back", "exclusion/"),
            ("Staff", "staff/"),
            ("API tokens", "api-tokens/"),
            ("Audit trail", "audit/"),
            ("Monthly return", "pomi/"),
            ("Patient Participation Group", None),
            ("Questions page", "questions-page/"),
        ],
        Role.REVIEWER: [
            ("DPIA step by step", "dpia/"),
            ("Practice plan", "plan/"),
            ("Weekly safety sweep", "sweeps/"),
            ("Patients held back", "exclusion/"),
            ("Patient Participation Group", None),
        ],
        Role.RECEPTION: [
            ("DPIA step by step", "dpia/"),
            ("Practice plan", "plan/"),
            ("Weekly safety sweep", "sweeps/"),
            ("Patients held back", "exclusion/"),
            ("Patient Participation Group", None),
        ],
        Role.OBSERVER: None,
    },
    "question-figures/": {
        role: [("Overview", ""), ("Programme dashboard", "programme/"), ("Question figures", None)]
        for role in Role
    },
    "programme/": {
        role: [("Overview", ""), ("Programme dashboard", None), ("Question figures", "question-figures/")]
        for role in Role
    },
}


def declared_pages(menu: Menu) -> list[str]:
    """The view names a section holds, whoever may open them."""
    access_rules()
    return list(access._menus[menu])


def _links(menu: re.Pattern, page: str, ods: str) -> list[tuple[str, str | None]]:
    """(text, path under the practice) for each item; None for the page being shown, which is not a link (in
    the header, the section's link to the page being shown). No menu at all reads as an empty one."""
    found = menu.findall(page)
    if not found:
        return []
    (items,) = found
    prefix = f"/staff/p/{ods}/"
    return [
        (current, None) if current else (text, href.removeprefix(prefix))
        for href, text, current in LINK.findall(items)
    ]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_menu_in_the_same_order(client, practice, role):
    factories.sign_in(client, factories.staff(practice, role))
    page = client.get(reverse("staff:capacity", kwargs={"ods": practice.ods_code})).content.decode()
    header = [
        (text, None if href == "capacity/" else href)
        for text, href in _links(HEADER_MENU, page, practice.ods_code)
    ]
    assert header == MENUS[role]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("section", list(SECTION_MENUS))
def test_each_section_lists_every_page_of_it_the_role_may_open(client, practice, role, section):
    factories.sign_in(client, factories.staff(practice, role))
    response = client.get(f"/staff/p/{practice.ods_code}/{section}")
    expected = SECTION_MENUS[section][role]
    if expected is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert _links(SECTION_MENU, response.content.decode(), practice.ods_code) == expected


@pytest.mark.parametrize("role", list(Role))
def test_the_header_has_every_section_with_a_page_the_role_may_open(client, practice, role):
    factories.sign_in(client, factories.staff(practice, role))
    page = client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).content.decode()
    openable = [menu.value for menu in Menu if any(allows(item, role) for item in declared_pages(menu))]
    assert [text for text, _ in _links(HEADER_MENU, page, practice.ods_code)] == openable


def test_the_page_being_shown_is_marked_in_the_waiting_lists_menu(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER))
    page = client.get(reverse("staff:coding", kwargs={"ods": practice.ods_code})).content.decode()
    assert _links(SECTION_MENU, page, practice.ods_code) == [
        ("Waiting list", "waiting-list/"),
        ("Coding worklist", None),
        ("Conversations and drop-ins", "conversations/"),
        ("Capacity", "capacity/"),
    ]


def test_the_page_being_shown_is_marked_in_the_header_menu(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(reverse("staff:cohorts", kwargs={"ods": practice.ods_code})).content.decode()
    (items,) = HEADER_MENU.findall(page)
    # Cohorts is a page of the Patients section: the section's header link is marked as the one you are in.
    assert re.findall(r'href="([^"]+)" aria-current="true"', items) == [
        f"/staff/p/{practice.ods_code}/patients/"
    ]
    assert re.findall(r'aria-current="page"', items) == []
