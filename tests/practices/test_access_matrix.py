"""The access matrix's own rules: every staff URL has one, observers see figures only, menus follow it, an
undeclared page is refused. The walk of every staff URL as every role, as nobody, without two-factor and from
another practice, by GET and by POST, is tests/security/test_every_page_and_operation.py (its URL helpers are
these)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recordaccess.practices.access import access_rules
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

# A value for every URL argument a staff page may take. A new argument without a sample fails the walk.
SAMPLE_KWARGS = {
    "answer_id": 1,  # questions: an FAQ answer (helper B)
    "resource_id": 1,
    "user_id": 1,
    "action": "unlock",
    "patient_id": 1,
    "flag_id": 1,
    "cohort_id": 1,
    "import_id": 1,
    "template_id": 1,
    "campaign_id": 1,
    "print_id": 1,
    "item_id": 1,
    "request_id": 1,
    "check_id": 1,
    "export_id": 1,
    "decision_id": 1,
    "slot_id": 1,
    "booking_id": 1,
    "invitation_id": 1,
    "reply_id": 1,
    "question_id": 1,
    "answer": "accept",
    "meeting_id": 1,
    "action_id": 1,
    "version": 1,
    "risk_id": 1,
    "consultation_id": 1,
    "part": "need",
    "plan_version": 1,
    "section": "approach",
    "chart": "funnel",  # reports: one chart's CSV
    "fmt": "pdf",
    "sweep_id": 1,
    "entry_id": 1,
    "online_import_id": 1,
    "code": "QWE",  # an organisation (PCN or ICB): its pages are under /staff/o/<code>/ (tests/reports)
    "token_id": 1,  # api: an API token (helper D)
}


def staff_url_names() -> list[tuple[str, URLPattern, list[str]]]:
    """Each staff page's name, pattern, and the arguments of its whole path (the app's route is written under
    staff/p/<ods>/, so <ods> comes from the prefix)."""

    def walk(patterns, namespace, arguments):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else pattern.namespace
                )
                yield from walk(
                    pattern.url_patterns, inner or namespace, [*arguments, *pattern.pattern.converters]
                )
            elif isinstance(pattern, URLPattern) and namespace and namespace.split(":")[0] == "staff":
                yield f"{namespace}:{pattern.name}", pattern, [*arguments, *pattern.pattern.converters]

    return sorted(walk(get_resolver().url_patterns, "", []), key=lambda item: item[0])


STAFF_URLS = [(name, pattern) for name, pattern, _ in staff_url_names()]
ARGUMENTS = {name: arguments for name, _, arguments in staff_url_names()}
ACCESS = access_rules()  # what each app declared with its routes
PRACTICE_PAGES = sorted(name for name, rule in ACCESS.items() if isinstance(rule, frozenset))


def _url(name: str, ods: str) -> str:
    kwargs = {}
    for key in ARGUMENTS[name]:
        if key == "ods":
            kwargs[key] = ods
        else:
            assert key in SAMPLE_KWARGS, f"add a sample value for <{key}> to SAMPLE_KWARGS"
            kwargs[key] = SAMPLE_KWARGS[key]
    return reverse(name, kwargs=kwargs)


def test_every_staff_url_is_in_the_access_matrix():
    names = {name for name, _ in STAFF_URLS}
    assert names, "no staff URLs found"
    missing = names - ACCESS.keys()
    assert not missing, f"staff pages without an access rule: {sorted(missing)}"
    stale = ACCESS.keys() - names
    assert not stale, f"access rules for pages that do not exist: {sorted(stale)}"


def test_observers_never_reach_patient_or_practice_settings_pages():
    assert not [
        name
        for name in PRACTICE_PAGES
        if Role.OBSERVER in ACCESS[name]
        and name
        not in {
            "staff:dashboard",
            "staff:capacity",
            "staff:question_figures",
            "staff:programme",
            "staff:programme_csv",
            "staff:programme_chart_csv",
        }
    ]  # the pages of aggregate figures


def test_a_practice_that_does_not_exist_looks_the_same_as_one_you_do_not_belong_to(
    client, practice, other_practice
):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    unknown = client.get(reverse("staff:dashboard", kwargs={"ods": "Z99999"}))
    foreign = client.get(reverse("staff:dashboard", kwargs={"ods": other_practice.ods_code}))
    assert unknown.status_code == foreign.status_code == 404


def test_navigation_shows_only_pages_the_role_may_open(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).content.decode()
    assert "Overview" in page
    assert "Audit trail" not in page
    assert "Practice and DPIA" not in page


def test_a_member_of_two_practices_chooses_between_them(client, practice, other_practice):
    user = factories.staff(practice, Role.REVIEWER)
    factories.add_membership(user, other_practice, Role.OBSERVER)
    factories.sign_in(client, user)
    page = client.get(reverse("staff:home")).content.decode()
    assert practice.name in page and other_practice.name in page
    assert client.get(reverse("staff:audit", kwargs={"ods": other_practice.ods_code})).status_code == 403


@pytest.mark.urls("tests.practices.undeclared_urls")
def test_a_staff_page_that_no_app_declared_is_refused_to_everyone(client, practice, caplog):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    response = client.get(f"/staff/p/{practice.ods_code}/undeclared/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert "staff:undeclared" in caplog.text
