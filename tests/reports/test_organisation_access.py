"""Who opens an organisation's pages: its observers, signed in with two-factor; nobody else, and they open no
practice's own pages by being observers."""

import pytest
from django.urls import reverse

from recordaccess.practices.access import OrganisationAccess, access_rules
from recordaccess.practices.roles import Role
from tests import factories
from tests.practices.test_access_matrix import PRACTICE_PAGES, _url

pytestmark = pytest.mark.django_db

ORGANISATION_PAGES = sorted(
    name for name, rule in access_rules().items() if rule is OrganisationAccess.OBSERVER
)


def org_url(name: str, world, code: str | None = None) -> str:
    kwargs = {"code": code or world.icb.code}
    if name.startswith("staff:organisation_practice"):
        kwargs["ods"] = world.in_pcn.ods_code
    if name == "staff:organisation_practice_chart_csv":
        kwargs["chart"] = "funnel"
    return reverse(name, kwargs=kwargs)


def test_the_organisation_pages_are_the_roll_up_its_csv_a_practice_and_the_monthly_return():
    assert ORGANISATION_PAGES == [
        "staff:organisation",
        "staff:organisation_csv",
        "staff:organisation_pomi",
        "staff:organisation_pomi_csv",
        "staff:organisation_practice",
        "staff:organisation_practice_chart_csv",
        "staff:organisation_practice_csv",
    ]


# Each test walks every page in one go: the world is built once, not once a page.


def test_nobody_signed_in_is_sent_to_sign_in(client, world):
    for name in ORGANISATION_PAGES:
        response = client.get(org_url(name, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("staff:sign_in")), name


def test_an_observer_without_two_factor_is_sent_to_it(client, world):
    client.force_login(world.observer)
    for name in ORGANISATION_PAGES:
        response = client.get(org_url(name, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("staff:verify")), name


def test_its_observer_opens_every_page(observer_client, world):
    for name in ORGANISATION_PAGES:
        assert observer_client.get(org_url(name, world)).status_code == 200, name


@pytest.mark.parametrize("role", list(Role))
def test_practice_staff_of_its_practices_are_not_found(client, world, role):
    factories.sign_in(client, factories.staff(world.in_pcn, role))
    for name in ORGANISATION_PAGES:
        assert client.get(org_url(name, world)).status_code == 404, name


def test_another_organisations_observer_is_not_found_and_learns_nothing(client, world):
    """The PCN's observer asks for the ICB's pages: 404, as for an organisation that does not exist."""
    factories.sign_in(client, world.pcn_observer)
    for name in ORGANISATION_PAGES:
        assert client.get(org_url(name, world)).status_code == 404, name
        assert client.get(org_url(name, world, code="NOPE1")).status_code == 404, name


def test_a_pcns_observer_does_not_see_its_icb(client, world):
    factories.sign_in(client, world.pcn_observer)
    page = client.get(reverse("staff:organisation", kwargs={"code": world.pcn.code})).content.decode()
    assert world.in_pcn.name in page
    assert world.in_icb.name not in page


def test_an_organisation_observer_opens_none_of_its_practices_pages(observer_client, world):
    assert len(PRACTICE_PAGES) > 100  # every practice page the URL configuration declares
    for name in PRACTICE_PAGES:
        for practice in (world.in_pcn, world.in_icb):
            assert observer_client.get(_url(name, practice.ods_code)).status_code == 404, name


def test_a_practice_outside_the_organisation_is_not_found_in_it(observer_client, world):
    for ods in (world.outside.ods_code, "Z99999"):
        url = reverse("staff:organisation_practice", kwargs={"code": world.icb.code, "ods": ods})
        assert observer_client.get(url).status_code == 404


def test_an_observer_of_only_an_organisation_lands_on_it_after_sign_in(observer_client, world):
    response = observer_client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:organisation", kwargs={"code": world.icb.code})


def test_the_chooser_lists_practices_and_organisations(client, world):
    user = factories.staff(world.outside, Role.REVIEWER)
    from recordaccess.audit.services import Actor
    from recordaccess.practices.services import add_organisation_observer

    add_organisation_observer(actor=Actor.system("tests"), organisation=world.pcn, user=user)
    factories.sign_in(client, user)
    page = client.get(reverse("staff:home")).content.decode()
    assert world.outside.name in page
    assert reverse("staff:organisation", kwargs={"code": world.pcn.code}) in page
    assert world.pcn.name in page


def test_the_organisations_header_has_its_own_navigation(observer_client, world):
    page = observer_client.get(
        reverse("staff:organisation", kwargs={"code": world.icb.code})
    ).content.decode()
    assert 'href="/staff/o/QWE/"' in page and 'href="/staff/o/QWE/pomi/"' in page
    assert "/staff/p/" not in page
