"""Every public page ends with the practice's contact details, opening hours, a privacy notice and an
accessibility statement (each with a default the administrator can change), and a status page for people."""

import pytest
from django.utils import timezone

from recordaccess.health.models import WorkerHeartbeat
from recordaccess.practices.defaults import privacy_notice
from recordaccess.practices.models import Practice
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(db):
    made = factories.practice("A81001", name="Riverside Surgery")
    made.address, made.phone, made.email = "1 River Road\nLeeds", "0113 496 0000", "riverside@example.nhs.uk"
    made.save()
    return made


def footer(client, path) -> str:
    page = client.get(path).content.decode()
    return page[page.index("<footer") :]


@pytest.mark.parametrize("path", ["/p/A81001/", "/p/A81001/request/progress/", "/p/A81001/privacy/"])
def test_public_pages_end_with_the_practices_contact_details_hours_and_the_pages_the_law_asks_for(
    client, practice, path
):
    foot = footer(client, path)
    for expected in [
        "1 River Road",
        "0113 496 0000",
        'href="tel:01134960000"',
        'href="mailto:riverside@example.nhs.uk"',
        "Monday to Friday: 8am to 6:30pm",
        'href="/p/A81001/privacy/"',
        'href="/p/A81001/accessibility/"',
        'href="/status/"',
    ]:
        assert expected in foot, expected
    assert "© recordaccess" not in foot and "/healthz" not in foot and "© NHS England" not in foot


def test_the_default_privacy_notice_names_the_practice_as_data_controller_and_its_dpia(client, practice):
    page = client.get("/p/A81001/privacy/").content.decode()
    assert "<h1>Privacy notice</h1>" in page
    assert "Riverside Surgery (ODS code A81001) is the data controller" in page
    assert "reference DPIA-TEST-1, completed 6 January 2026" in page


def test_the_default_accessibility_statement_follows_the_model_statement(client, practice):
    page = client.get("/p/A81001/accessibility/").content.decode()
    assert "<h1>Accessibility statement</h1>" in page
    for heading in (
        "How accessible these pages are",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "WCAG version 2.2 AA" in page and "0113 496 0000" in page


def test_an_administrator_changes_the_hours_and_statements_and_staff_text_stays_text(client, practice):
    admin = factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    edit = admin.get("/staff/p/A81001/practice/details/").content.decode()
    assert "Riverside Surgery (ODS code A81001) is the data controller" in edit  # the default, to edit
    response = admin.post(
        "/staff/p/A81001/practice/details/",
        {
            "name": "Riverside Surgery",
            "approach": "opt_out",
            "email": "riverside@example.nhs.uk",
            "opening_hours": "Monday: 8am to 8pm\nTuesday to Friday: 8am to 6pm",
            "privacy_notice": "## Who we are\n\nWe are <b>Riverside</b>.",
            "accessibility_statement": "",
        },
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.opening_hours.startswith("Monday: 8am to 8pm") and practice.accessibility_statement == ""
    client.logout()
    assert "Monday: 8am to 8pm<br>Tuesday to Friday: 8am to 6pm" in footer(client, "/p/A81001/")
    page = client.get("/p/A81001/privacy/").content.decode()
    assert "<h2>Who we are</h2>" in page and "We are &lt;b&gt;Riverside&lt;/b&gt;." in page
    assert "Enforcement procedure" in client.get("/p/A81001/accessibility/").content.decode()  # default again


def test_the_default_saved_unchanged_stays_the_default_and_follows_the_practices_details(client, practice):
    admin = factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    unchanged = privacy_notice(Practice.objects.get(pk=practice.pk))
    admin.post(
        "/staff/p/A81001/practice/details/",
        {"name": "Riverside Surgery", "approach": "opt_out", "privacy_notice": unchanged},
    )
    practice.refresh_from_db()
    assert practice.privacy_notice == ""


def test_the_status_page_says_in_plain_words_whether_the_service_works(client, db):
    page = client.get("/status/").content.decode()
    assert "<h1>Service status</h1>" in page and "The service has a problem" in page
    WorkerHeartbeat.objects.create(worker="w", backend="db", last_seen=timezone.now())
    page = client.get("/status/").content.decode()
    assert "The service is working" in page and "The service has a problem" not in page
    assert client.get("/healthz").json()["status"] == "ok"  # machines keep their JSON
