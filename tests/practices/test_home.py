"""The overview: each role's work waiting, as counts that link to the pages holding the work (issue 13)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recordaccess.practices.access import allows
from recordaccess.practices.home import declared
from recordaccess.practices.roles import Role
from tests import factories, home_work

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li><a href="([^"]+)"><span class="recordaccess-count">([\d,]+)</span> ([^<]+)</a></li>')


def _overview(client, practice, role, username=None):
    user = factories.staff(practice, role, username)
    factories.sign_in(client, user)
    return client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_work_as_counts_that_link_to_it(client, practice, role):
    home_work.fill(practice, reviewer_username="home-reviewer")
    page = _overview(client, practice, role, "home-reviewer" if role == Role.REVIEWER else None)
    items = ITEM.findall(page)
    prefix = f"/staff/p/{practice.ods_code}/"
    assert [(int(count), label) for _, count, label in items] == home_work.EXPECTED[role]
    assert [href.removeprefix(prefix) for href, _, _ in items] == home_work.LINKS[role]


@pytest.mark.parametrize("role", list(Role))
def test_with_nothing_waiting_the_overview_says_so(client, practice, role):
    page = _overview(client, practice, role)
    assert "Nothing waiting." in page
    assert ITEM.findall(page) == []


def test_another_practices_work_is_not_counted(client, practice, other_practice):
    home_work.fill(other_practice, reviewer_username="home-reviewer")
    for role in Role:
        assert "Nothing waiting." in _overview(client, practice, role)
        client.logout()


def test_observers_see_figures_and_no_patient_names(client, practice):
    home_work.fill(practice, reviewer_username="someone")
    page = _overview(client, practice, Role.OBSERVER)
    assert ITEM.findall(page)
    for name in ("Ada", "Home1", "Home2", "Home3", "Home4", "Home5"):
        assert name not in page


def test_every_item_links_to_a_page_its_roles_may_open():
    for item in declared():
        assert item.roles, item.label
        for role in item.roles:
            assert allows(item.view_name, role), (item.label, role)


def test_each_count_is_one_query_but_the_target_which_reads_the_policy_too(practice):
    user = factories.staff(practice, Role.ADMINISTRATOR)
    for item in declared():
        with CaptureQueriesContext(connection) as queries:
            item.count(practice, user)
        assert len(queries) <= (2 if "target" in item.label else 1), (item.label, [q["sql"] for q in queries])
