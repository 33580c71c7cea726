"""A patient sends a request through the public pages in Chromium, by each route, and axe-core finds no
accessibility violations (WCAG 2.2 A and AA rules) on any public page on the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient
from tests import factories
from tests.browser.axe import accessible
from tests.pages import fill, public_page_routes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patient_page(new_context):
    # axe-core is injected as an inline script, which our Content Security Policy would rightly refuse.
    page = new_context(bypass_csp=True).new_page()
    page.checked = []
    return page


def cont(page):
    """Continue, and wait for the next page: what follows may read the page at once (`.all()` does not wait)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def fill_patient(page, *, who="Myself"):
    page.get_by_label(who).check()
    cont(page)


def test_a_patient_asks_for_access_online_meeting_errors_on_the_way(patient_page, live_server):
    page = patient_page
    practice = factories.practice("A81001", name="Riverside Surgery")
    Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Siân",
        family_name="O'Brien",
        date_of_birth=datetime.date(1980, 3, 7),
        postcode="LS1 4AP",
    )
    page.goto("/p/A81001/")
    accessible(page)
    page.get_by_role("link", name="Ask for access or tell us your choice").click()
    cont(page)  # nothing chosen
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Select what you would like to do")
    expect(summary).to_be_focused()
    accessible(page)
    summary.get_by_role("link", name="Select what you would like to do").click()
    expect(page.get_by_label("I want to see my GP health record online")).to_be_focused()
    page.get_by_label("I want to see my GP health record online").check()
    cont(page)
    fill_patient(page)
    page.get_by_label("First name").fill("Siân")
    page.get_by_label("Last name").fill("O'Brien1")
    cont(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Last name must only include letters")
    accessible(page)
    page.get_by_label("Last name").fill("O'Brien")
    cont(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1980")
    cont(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Date of birth must be a real date")
    accessible(page)
    page.get_by_label("Day").fill("7")
    page.get_by_label("Month").fill("3")
    cont(page)
    page.get_by_label("Address").fill("1 River Road\nLeeds")
    page.get_by_label("Postcode").fill("ls14ap")
    cont(page)
    page.get_by_label("NHS number (if you know it)").fill("943 476 5919")
    cont(page)
    page.get_by_label("Text message").check()
    cont(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a UK mobile number, or choose")
    accessible(page)
    page.get_by_label("UK mobile number").fill("07700 900123")
    cont(page)
    page.get_by_label("New entries from now on, including notes and letters").check()
    cont(page)
    accessible(page)
    cont(page)  # no communication needs
    for box in page.get_by_role("checkbox").all():
        box.check()
    cont(page)
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Change name").click()
    page.get_by_label("First name").fill("Sian")
    cont(page)
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    accessible(page)
    saved = AccessRequest.objects.get()
    expect(page.locator("#reference")).to_have_text(saved.reference_display)
    assert (saved.given_name, saved.match_status, saved.access_level) == ("Sian", "matched", "prospective")

    page.get_by_role("link", name="check the progress of your request").click()
    page.get_by_label("Your reference").fill(saved.reference_display.lower())
    page.get_by_label("Day").fill("7")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1980")
    page.get_by_role("button", name="Check progress").click()
    expect(page.locator("#progress")).to_contain_text("We have found your record")
    accessible(page)


@pytest.mark.parametrize(
    ("choice", "extra"),
    [
        ("I do not want to see my GP health record online", None),
        ("I have questions: please contact me", "question"),
    ],
)
def test_saying_no_or_asking_a_question_is_as_easy(patient_page, live_server, choice, extra):
    page = patient_page
    factories.practice("A81001", name="Riverside Surgery")
    page.goto("/p/A81001/request/choice/")
    page.get_by_label(choice).check()
    cont(page)
    fill_patient(page, who="Someone I care for or act for")
    page.get_by_label("Your full name").fill("Mary Jones")
    page.get_by_label("Your relationship to them").fill("daughter")
    page.get_by_label("Lasting power of attorney for health and welfare").check()
    cont(page)
    accessible(page)
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Jones")
    cont(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("1935")
    cont(page)
    page.get_by_label("Address").fill("3 Mill Lane")
    page.get_by_label("Postcode").fill("LS2 7AA")
    cont(page)
    cont(page)  # NHS number is optional
    page.get_by_label("Email address").fill("mary@example.org")
    page.get_by_role("radio", name="Email").check()
    cont(page)
    if extra == "question":
        cont(page)
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your question")
        page.get_by_label("What would you like to ask?").fill("Can I see Mum's record <b>too</b>?")
        cont(page)
    cont(page)
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    saved = AccessRequest.objects.get()
    assert saved.for_someone_else and saved.proxy_basis == "lpa" and saved.requester_name == "Mary Jones"
    if extra == "question":
        assert saved.question == "Can I see Mum's record <b>too</b>?"


def test_a_ten_year_old_asking_for_their_record_is_told_what_happens_before_sending(
    patient_page, live_server
):
    from django.utils import timezone

    page = patient_page
    factories.practice("A81001", name="Riverside Surgery")
    page.goto("/p/A81001/request/choice/")
    page.get_by_label("I want to see my GP health record online").check()
    cont(page)
    fill_patient(page)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Jones")
    cont(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill(str(timezone.localdate().year - 10))  # ten today, whatever the date
    cont(page)
    page.get_by_label("Address").fill("3 Mill Lane")
    page.get_by_label("Postcode").fill("LS2 7AA")
    cont(page)
    cont(page)  # NHS number is optional
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("radio", name="Email").check()
    cont(page)
    page.get_by_label("The full past record, including notes and letters").check()
    cont(page)
    cont(page)  # no communication needs
    for box in page.get_by_role("checkbox").all():
        box.check()
    cont(page)
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.locator("#child-next-steps")).to_contain_text(
        "Because you are under 13, a GP or nurse will talk with you before deciding"
    )
    accessible(page)


def test_the_other_public_pages_pass_axe_too(patient_page, live_server):
    from recordaccess.audit.services import Actor
    from recordaccess.conversations.services import create_slot
    from recordaccess.outreach.models import MessageTemplate
    from recordaccess.outreach.services import approve_template, install_default_templates

    page = patient_page
    practice = factories.practice("A81001", name="Riverside Surgery")
    install_default_templates(actor=Actor.system("t"), practice=practice)
    website = MessageTemplate.objects.get(practice=practice, channel="website", purpose="announcement")
    approve_template(actor=Actor.system("t"), practice=practice, template_id=website.pk)
    for path, heading in [
        ("/p/A81001/online-access/", "Your GP health record online"),
        ("/r/0123456789/", "This link has not worked"),
        ("/p/A81001/request/progress/", "Check the progress of your request"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        accessible(page)
    page.get_by_role("button", name="Check progress").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your reference")
    accessible(page)
    # Every other public page, found from the URL configuration, with the practice's details in its footer.
    practice.address, practice.phone, practice.email = (
        "1 River Road\nLeeds",
        "0113 496 0000",
        "r@example.nhs.uk",
    )
    practice.save()
    # A drop-in session to book, so its pages are walked with one behind them.
    create_slot(
        actor=Actor.system("t"),
        practice=practice,
        host="Practice team",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        minutes=120,
        mode="in_person",
        kind="drop_in",
        places=2,
    )
    for route in public_page_routes():
        page.goto(fill(route, practice))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        accessible(page)
    assert {"/p/A81001/privacy/", "/p/A81001/accessibility/", "/status/", "/p/A81001/drop-ins/"} <= {
        url.removeprefix(live_server.url) for url in page.checked
    }


def test_the_dpia_on_the_start_page_reads_as_a_sentence_and_staff_entered_html_never_runs(
    patient_page, live_server
):
    from recordaccess.audit.services import Actor
    from recordaccess.practices.services import update_dpia

    page = (
        patient_page  # the page's Content Security Policy is bypassed: only the escaping stops a script here
    )
    practice = factories.practice("A81001", name="Riverside Surgery")
    reference = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    update_dpia(
        actor=Actor.system("t"),
        practice=practice,
        reference=reference,
        completed_on=datetime.date(2026, 3, 2),
    )
    page.goto("/p/A81001/")
    notice = page.locator("#dpia-notice p")
    expect(notice).to_have_text(
        "We checked how to keep your information safe in our data protection impact assessment (DPIA), "
        f"reference {reference}, completed 2 March 2026."
    )
    assert page.evaluate("window.pwned") is None
    assert page.locator("#dpia-notice script, #dpia-notice img").count() == 0
    accessible(page)


def test_every_error_message_of_the_form_in_the_browser(patient_page, live_server):
    """Walk the whole form, meeting each question's error messages in turn before answering it properly."""
    page = patient_page
    factories.practice("A81001", name="Riverside Surgery")
    page.goto("/p/A81001/request/choice/")

    def expect_error(message):
        summary = page.locator(".nhsuk-error-summary")
        expect(summary).to_contain_text(message)
        expect(page.locator(".nhsuk-error-message").first).to_be_visible()

    def field(label):
        return page.get_by_label(label, exact=True)

    cont(page)
    expect_error("Select what you would like to do")
    page.get_by_label("I want to see my GP health record online").check()
    cont(page)
    cont(page)
    expect_error("Select who this is for")
    page.get_by_label("Someone I care for or act for").check()
    cont(page)
    cont(page)
    for message in (
        "Enter your full name",
        "Enter your relationship to them",
        "Select what lets you act for them",
    ):
        expect_error(message)
    field("Your full name").fill("Mary 2")
    cont(page)
    expect_error("Full name must only include letters, spaces, hyphens and apostrophes")
    field("Your full name").fill("Mary Jones")
    field("Your relationship to them").fill("x" * 101)
    cont(page)
    expect_error("Relationship to them must be 100 characters or fewer")
    field("Your relationship to them").fill("daughter")
    page.get_by_label("The patient agrees").check()
    cont(page)
    cont(page)
    expect_error("Enter a first name")
    expect_error("Enter a last name")
    field("First name").fill("Ann")
    field("Last name").fill("Jones!")
    cont(page)
    expect_error("Last name must only include letters, spaces, hyphens and apostrophes")
    field("Last name").fill("Jones")
    cont(page)
    for day, month, year, message in [
        ("", "", "", "Enter your date of birth"),
        ("1", "", "1940", "Date of birth must include a month"),
        ("1", "1", "", "Date of birth must include a year"),
        ("31", "2", "1940", "Date of birth must be a real date"),
        ("1", "1", "40", "Date of birth must be a real date"),
        ("1", "1", "2999", "Date of birth must be in the past"),
        ("1", "1", "1800", "Check the year of birth"),
    ]:
        field("Day").fill(day)
        field("Month").fill(month)
        field("Year").fill(year)
        cont(page)
        expect_error(message)
    field("Day").fill("1")
    field("Month").fill("1")
    field("Year").fill("1940")
    cont(page)
    cont(page)
    expect_error("Enter your address")
    expect_error("Enter your postcode")
    field("Address").fill("\n".join(f"Line {i}" for i in range(8)))
    field("Postcode").fill("NOT A POSTCODE")
    cont(page)
    expect_error("Enter your address on 6 lines or fewer")
    expect_error("Enter a real postcode, like LS1 4AP")
    field("Address").fill("3 Mill Lane")
    field("Postcode").fill("LS2 7AA")
    cont(page)
    for number, message in [
        ("12345", "NHS number must be 10 digits"),
        ("1234567890", "it is not a real NHS number"),
    ]:
        field("NHS number (if you know it)").fill(number)
        cont(page)
        expect_error(message)
    field("NHS number (if you know it)").fill("")
    cont(page)
    cont(page)
    expect_error("Select how we should contact you")
    page.get_by_role("radio", name="Text message").check()
    cont(page)
    expect_error("Enter a UK mobile number, or choose another way to contact you")
    field("UK mobile number").fill("01632 960000")
    field("Email address").fill("mary@")
    cont(page)
    expect_error("Enter a UK mobile number, like 07700 900 982")
    expect_error("Enter an email address in the correct format, like name@example.com")
    field("UK mobile number").fill("")
    field("Email address").fill("")
    page.get_by_role("radio", name="Email").check()
    cont(page)
    expect_error("Enter an email address, or choose another way to contact you")
    field("Email address").fill("mary@example.org")
    cont(page)
    cont(page)
    expect_error("Select what you would like to see")
    page.get_by_label("A summary: medicines, allergies and reactions").check()
    cont(page)
    field("Do you need anything to help you communicate with us? (optional)").fill("x" * 1001)
    cont(page)
    expect_error("Communication needs must be 1,000 characters or fewer")
    field("Do you need anything to help you communicate with us? (optional)").fill("Large print, please")
    cont(page)
    cont(page)
    expect_error("Confirm each statement to ask for access")
    page.get_by_role("checkbox").first.check()
    cont(page)
    expect_error("Confirm each statement to ask for access")
    for box in page.get_by_role("checkbox").all():
        box.check()
    cont(page)
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    saved = AccessRequest.objects.get()
    assert (saved.communication_needs, saved.access_level, saved.email) == (
        "Large print, please",
        "summary",
        "mary@example.org",
    )


def test_when_the_practices_hour_is_full_the_first_page_says_when_to_come_back(
    patient_page, live_server, settings
):
    """H43: turned away before answering anything, told a time in plain English and the practice's phone."""
    page = patient_page
    practice = factories.practice("A81001", name="Riverside Surgery")
    practice.phone = "0113 496 0000"
    practice.save()
    settings.INTAKE_PER_PRACTICE_PER_HOUR = settings.INTAKE_PER_1000_PATIENTS_PER_HOUR = 0
    response = page.goto("/p/A81001/request/choice/")
    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_contain_text("Please come back after")
    expect(page.get_by_text("Or call Riverside Surgery on 0113 496 0000")).to_be_visible()
    accessible(page)
