"""The staff menus each role sees, item by item and in order: each app declares its own items, and together they
must make these two menus."""

import re

import pytest
from django.urls import reverse

from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

HEADER_MENU = re.compile(r'<ul class="nhsuk-header__navigation-list">(.*?)</ul>', re.S)
WAITING_LIST_MENU = re.compile(r'<ul [^>]*id="review-navigation">(.*?)</ul>', re.S)
LINK = re.compile(
    r'<a\s[^>]*href="([^"]+)"[^>]*>\s*([^<]+?)\s*</a>|<strong aria-current="page">([^<]+)</strong>'
)

EVERYTHING = [
    ("Overview", ""),
    ("Patients", "patients/"),
    ("Requests", "requests/"),
    ("Waiting list", "waiting-list/"),
    ("Cohorts", "cohorts/"),
    ("Practice and DPIA", "practice/"),
    ("Campaigns", "campaigns/"),
    ("Replies", "replies/"),
    ("Templates", "templates/"),
    ("Register", "register/"),
    ("Staff", "staff/"),
    ("Audit trail", "audit/"),
]
PATIENT_DATA = [
    ("Overview", ""),
    ("Patients", "patients/"),
    ("Requests", "requests/"),
    ("Waiting list", "waiting-list/"),
    ("Cohorts", "cohorts/"),
    ("Replies", "replies/"),
]
MENUS = {
    Role.ADMINISTRATOR: EVERYTHING,
    Role.REVIEWER: PATIENT_DATA,
    Role.RECEPTION: PATIENT_DATA,
    Role.OBSERVER: [("Overview", "")],
}
WAITING_LIST_MENUS = {
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
    Role.OBSERVER: [("Capacity", None)],
}
WAITING_LIST_MENUS[Role.RECEPTION] = WAITING_LIST_MENUS[Role.REVIEWER]


def _links(menu: re.Pattern, page: str, ods: str) -> list[tuple[str, str | None]]:
    """(text, path under the practice) for each item; None for the page being shown, which is not a link."""
    (items,) = menu.findall(page)
    prefix = f"/staff/p/{ods}/"
    return [
        (current, None) if current else (text, href.removeprefix(prefix))
        for href, text, current in LINK.findall(items)
    ]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_menu_in_the_same_order(client, practice, role):
    factories.sign_in(client, factories.staff(practice, role))
    page = client.get(reverse("staff:capacity", kwargs={"ods": practice.ods_code})).content.decode()
    assert _links(HEADER_MENU, page, practice.ods_code) == MENUS[role]
    assert _links(WAITING_LIST_MENU, page, practice.ods_code) == WAITING_LIST_MENUS[role]


def test_the_page_being_shown_is_marked_in_the_waiting_lists_menu(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER))
    page = client.get(reverse("staff:coding", kwargs={"ods": practice.ods_code})).content.decode()
    assert _links(WAITING_LIST_MENU, page, practice.ods_code) == [
        ("Waiting list", "waiting-list/"),
        ("Coding worklist", None),
        ("Conversations and drop-ins", "conversations/"),
        ("Capacity", "capacity/"),
    ]


def test_the_page_being_shown_is_marked_in_the_header_menu(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(reverse("staff:cohorts", kwargs={"ods": practice.ods_code})).content.decode()
    (items,) = HEADER_MENU.findall(page)
    assert re.findall(r'href="([^"]+)" aria-current="page"', items) == [
        f"/staff/p/{practice.ods_code}/cohorts/"
    ]
