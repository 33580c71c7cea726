"""WCAG 2.2 AA in the markup itself, read with a parser: one h1 a page, ids that are unique, fields that say what
they hold, error summaries in the order of their fields, and plain words for patients. axe-core checks the rest in
Chromium (tests/browser/test_accessible_pages.py)."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from recordaccess.assurance import demo_plan
from recordaccess.intake import wizard
from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient
from recordaccess.practices.models import Practice, StaffUser
from tests import factories
from tests.intake.conftest import ANSWERS, answer_all
from tests.pages import Markup, fill, public_page_routes, staff_page_routes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo practice, loaded once: a row behind every kind of staff page."""
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0)
        demo_plan.load(Practice.objects.get(ods_code="Y12345"), lambda what, count: None)  # idempotent
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo, db):
    return Practice.objects.get(ods_code="Y12345")


def staff_pages(demo, username="demo-admin"):
    """Each staff page the user can open by a GET, with its markup."""
    client = factories.sign_in(Client(), StaffUser.objects.get(username=username))
    for route in staff_page_routes():
        url = fill(route, demo)
        response = client.get(url) if url else None
        if response is not None and response.status_code == 200 and "html" in response["Content-Type"]:
            yield client, url, Markup(response.content.decode())


def form_pages(client, answers=None):
    """Every page of the patient's request form, as the patient meets them, with its markup."""
    answers = {**ANSWERS, **(answers or {})}
    url = "/p/A81001/request/choice/"
    while not url.endswith("/check/"):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        yield step, Markup(client.get(url).content.decode())
        url = client.post(url, answers.get(step, {}))["Location"]


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {
            "choice": {"wish": "has_questions"},
            "who": {"who": "someone_else"},
            "proxy": {
                "requester_name": "Mary Jones",
                "requester_relationship": "mother",
                "proxy_basis": "lpa",
            },
            "question": {"question": "Can I see it?"},
        },
    ],
)
def test_every_page_of_the_request_form_has_one_h1_its_question(client, practice, answers):
    seen = {step: page for step, page in form_pages(client, answers)}
    assert {step: page.h1 for step, page in seen.items() if len(page.h1) != 1} == {}
    assert {step: page.h1 for step, page in seen.items() if page.h1[0] in page.captions} == {}


def test_the_whole_form_is_walked_by_the_two_answers_above():
    walked = set(ANSWERS) | {"proxy", "question"}
    assert walked == set(wizard.BY_SLUG)


def test_date_of_birth_boxes_say_they_are_a_birthday_so_browsers_can_fill_them(client, practice):
    pages = dict(form_pages(client))
    progress = Markup(client.get("/p/A81001/request/progress/").content.decode())
    for page in (pages["date-of-birth"], progress):
        assert [page.inputs[part].get("autocomplete") for part in ("day", "month", "year")] == [
            "bday-day",
            "bday-month",
            "bday-year",
        ]
        assert all(page.inputs[part].get("inputmode") == "numeric" for part in ("day", "month", "year"))


def test_the_nhs_number_field_brings_up_a_number_keypad(client, practice, demo):
    pages = dict(form_pages(client))
    assert pages["nhs-number"].inputs["nhs_number"].get("inputmode") == "numeric"
    staff = factories.sign_in(Client(), StaffUser.objects.get(username="demo-admin"))
    keyed = Markup(staff.get("/staff/p/Y12345/requests/new/").content.decode())
    assert keyed.inputs["nhs_number"].get("inputmode") == "numeric"


def test_no_staff_page_repeats_an_id(demo):
    walked = {url: page.duplicate_ids() for _, url, page in staff_pages(demo)}
    assert len(walked) > 25
    assert {url: ids for url, ids in walked.items() if ids} == {}


def test_staff_dates_are_asked_as_day_month_and_year_never_with_the_browsers_date_picker(demo):
    pickers = {
        url: [name for name, attrs in page.inputs.items() if attrs.get("type") == "date"]
        for _, url, page in staff_pages(demo)
    }
    assert {url: names for url, names in pickers.items() if names} == {}
    dpia = Markup(
        factories.sign_in(Client(), StaffUser.objects.get(username="demo-admin"))
        .get("/staff/p/Y12345/practice/dpia/")
        .content.decode()
    )
    assert {"completed_on_day", "completed_on_month", "completed_on_year", "review_on_year"} <= set(
        dpia.inputs
    )


def test_every_staff_page_has_one_h1(demo):
    assert {url: page.h1 for _, url, page in staff_pages(demo) if len(page.h1) != 1} == {}


def test_public_pages_have_one_h1_and_unique_ids(client, demo):
    for route in public_page_routes():
        response = client.get(fill(route, demo))
        if response.status_code in (200, 404) and "html" in response["Content-Type"]:
            page = Markup(response.content.decode())
            assert (len(page.h1), page.duplicate_ids()) == (1, []), route


def test_error_summaries_link_to_their_fields_in_the_order_the_fields_come(client, practice, demo):
    """A keyboard user reads the summary, then meets the fields in the same order."""
    refused = {}
    for step in wizard.BY_SLUG:
        refused[step] = Markup(client.post(f"/p/A81001/request/{step}/", {}).content.decode())
    refused["progress"] = Markup(client.post("/p/A81001/request/progress/", {}).content.decode())
    for staff, url, _ in staff_pages(demo):
        response = staff.post(url, {})
        if response.status_code == 400 or b"nhsuk-error-summary" in response.content:
            refused[url] = Markup(response.content.decode())
    with_links = {where: page for where, page in refused.items() if page.summary_links}
    assert len(with_links) > 5
    assert [where for where, page in with_links.items() if not page.summary_in_field_order()] == []
    assert [where for where, page in with_links.items() if set(page.summary_links) - set(page.ids)] == []


def test_the_progress_page_tells_the_patient_in_plain_words_not_the_registers_jargon(client, practice):
    Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Siân",
        family_name="O'Brien",
        date_of_birth=datetime.date(1980, 3, 7),
        postcode="LS1 4AP",
    )
    answer_all(client)
    client.post("/p/A81001/request/check/")
    saved = AccessRequest.objects.get(practice=practice)
    assert saved.status == "matched"
    page = client.post(
        "/p/A81001/request/progress/",
        {"reference": saved.reference_display, "day": "7", "month": "3", "year": "1980"},
    ).content.decode()
    assert "We have found your record" in page
    assert "Matched to the register" not in page and "register" not in page.split('id="progress"')[1][:300]
