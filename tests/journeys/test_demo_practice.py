"""Every role on the demo practice, end to end in Chromium (issue 17): the practice manager signs off a new
version of the DPIA and approves the plan; the IG lead writes a campaign and the manager approves it (two
people); a patient gets the text in the outbox and answers yes by its link; another patient asks online;
reception verifies their identity; the GP reviews the flagged request and decides; the coding export and the
patient's outcome message appear; a question is answered; the plan exports and names the DPIA.

Every step is a full-page screenshot under var/journeys/ and an axe-core check; the journey fixture fails if
any page visited was never checked. The demo is loaded once, as `recordaccess demo` loads it."""

import csv
import datetime
import io
import pathlib
import re

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from recordaccess.intake.models import AccessRequest, RequestStatus
from recordaccess.outreach.models import Campaign, OutboxItem
from recordaccess.patients.models import Patient
from recordaccess.practices.demo import DEMO_ACCOUNTS, DEMO_ODS
from recordaccess.practices.models import StaffUser
from recordaccess.review.models import Decision

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
DPIA_REFERENCE = "RS-DPIA-V2"
CAMPAIGN = "Pilot: patients who need an interpreter"
COHORT = "Need an interpreter, with a mobile"
REVIEW_QUESTIONS = [
    "Information about other people (third-party information)",
    "Information likely to cause serious harm to the patient or someone else",
    "Risk that the patient is being coerced",
    "Results waiting to be discussed with the patient",
]


@pytest.fixture
def db_tasks(settings):
    """The database queue, worked in this process by `run_worker`, whichever backend the run uses."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def staff(username: str):
    return StaffUser.objects.get(username=username), PASSWORDS[username]


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def fill_date(group, day: datetime.date) -> None:
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(part).fill(str(value))


def test_every_role_on_the_demo_practice_end_to_end(journey, db_tasks):
    call_command("demo", verbosity=0)
    today = timezone.localdate()
    step = journey.step

    # The practice manager: a new version of the DPIA, signed off, and the plan that cites it approved.
    manager = journey.person("manager", *staff("demo-admin"))
    journey.go_to(manager, "DPIA step by step")
    step(manager, "dpia")
    submit(manager, "Start a new version")
    expect(manager.locator("#version-status")).to_contain_text("Version 2")
    step(manager, "dpia-version-2")
    with manager.expect_navigation():
        manager.locator("#steps").get_by_role("link", name="3. ").click()
    manager.get_by_label("Patient participation group").check()
    manager.get_by_label("Their name, or the group's").fill("PPG annual meeting")
    fill_date(manager.get_by_role("group", name="When"), today)
    manager.get_by_label("What they said").fill("Keep the waiting list short; explain shared phones.")
    submit(manager, "Add consultation")
    expect(manager.locator("#consultations")).to_contain_text("PPG annual meeting")
    step(manager, "dpia-consultation")
    with manager.expect_navigation():
        manager.get_by_role("link", name="All seven steps").click()
    with manager.expect_navigation():
        manager.locator("#steps").get_by_role("link", name="7. ").click()
    manager.get_by_label("DPIA reference").fill(DPIA_REFERENCE)
    manager.get_by_label("Measures approved by").fill("Pat Morgan, practice manager")
    manager.get_by_label("Residual risks approved by").fill("Dr Amira Shah, partner")
    manager.get_by_label("Summary of DPO advice").fill("Proceed: enhanced review for flagged patients.")
    manager.get_by_role("group", name="The DPO's advice was").get_by_label("Accepted").check()
    manager.get_by_label("This DPIA will be kept under review by").fill("Pat Morgan")
    fill_date(
        manager.get_by_role("group", name="Date of the next review"), today + datetime.timedelta(days=365)
    )
    step(manager, "dpia-sign-off")
    submit(manager, "Sign off version 2")
    expect(manager.locator("#version-status")).to_contain_text("Version 2: signed off on")
    step(manager, "dpia-signed")

    journey.go_to(manager, "Practice plan")  # version 1, approved: it reads as it was approved
    step(manager, "plan")
    with manager.expect_navigation():
        manager.locator("#section-dpia").get_by_role("link").first.click()
    expect(manager.get_by_text(f"DPIA version 2, reference {DPIA_REFERENCE}")).to_be_visible()
    manager.get_by_label("Where the DPIA is kept").fill("Version 2, signed, in the IG folder.")
    step(manager, "plan-section")
    submit(manager, "Save")
    submit(manager, "Approve version 2")
    expect(manager.locator("#plan-status")).to_contain_text("Version 2: approved on")
    step(manager, "plan-approved")

    # The IG lead writes a small campaign; only another administrator may approve it.
    ig = journey.person("ig-lead", *staff("demo-ig"))
    journey.go_to(ig, "Cohorts")
    step(ig, "cohorts")
    with ig.expect_navigation():
        ig.get_by_role("link", name="Create a cohort").click()
    ig.get_by_label("Name").fill(COHORT)
    ig.get_by_role("group", name="Has a mobile number").get_by_label("Yes").check()
    ig.get_by_role("group", name="Has any of these flags").get_by_label("Interpreter").check()
    step(ig, "cohort-new")
    submit(ig, "Save cohort")
    step(ig, "cohort-saved")
    journey.go_to(ig, "Campaigns")
    step(ig, "campaigns")
    with ig.expect_navigation():
        ig.get_by_role("link", name="Create a campaign").click()
    ig.get_by_label("Name").fill(CAMPAIGN)
    ig.get_by_label("Cohort").select_option(label=COHORT)
    ig.get_by_label("Text message template").select_option(label="Text message")
    ig.get_by_label("Text message for patients who need enhanced review").select_option(
        label="Text message (higher risk)"
    )
    step(ig, "campaign-new")
    submit(ig, "Check who it reaches")
    expect(ig.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    ig.get_by_text("Change the sending window").click()
    ig.get_by_label("Start sending from").fill("00:00")
    ig.get_by_label("Stop sending at").fill("23:59")
    ig.get_by_label("Send on Sundays too").check()
    submit(ig, "Save the sending window")
    expect(ig.get_by_text("Another administrator must approve this campaign")).to_be_visible()
    step(ig, "campaign-written")
    campaign = Campaign.objects.get(name=CAMPAIGN)
    # The last minute of the day too, so the journey sends at any hour (the form takes whole minutes).
    Campaign.objects.filter(pk=campaign.pk).update(window_end=datetime.time(23, 59, 59))

    journey.go_to(manager, "Campaigns")
    with manager.expect_navigation():
        manager.get_by_role("link", name=CAMPAIGN).click()
    step(manager, "campaign")
    submit(manager, "Approve this campaign")
    expect(manager.get_by_text("Campaign approved")).to_be_visible()
    submit(manager, "Send")
    run_worker()
    manager.reload()
    expect(manager.locator(".nhsuk-tag", has_text="Sent")).to_be_visible()
    step(manager, "campaign-sent")
    texts = OutboxItem.objects.filter(message__campaign=campaign, message__channel="sms")
    assert texts.exists()

    # A patient reads the text in the outbox (the local stand-in for Notify) and answers yes by its link.
    manager.goto(f"/staff/p/{DEMO_ODS}/outbox/")
    first = manager.locator(".nhsuk-card").first
    expect(first).to_contain_text("Text message to 07")
    expect(first).to_contain_text(CAMPAIGN)
    step(manager, "outbox-text")
    link = re.search(r"/r/[0-9a-z]+/", first.inner_text()).group(0)
    texted = OutboxItem.objects.get(body__contains=link).message.patient
    patient = journey.person("patient")
    patient.goto(link)
    expect(patient.get_by_role("heading", level=1)).to_have_text(
        "Tell us your choice about seeing your GP record online"
    )
    step(patient, "link")
    patient.get_by_label("I want to see my GP health record online").check()
    submit(patient, "Send your answer")
    expect(patient.get_by_text("Thank you: we have your answer")).to_be_visible()
    step(patient, "answered-yes")
    assert Patient.objects.get(pk=texted.pk).preference == "wants_access"

    # Another patient, with a safeguarding flag, asks online through the practice's public pages.
    asker = (
        Patient.objects.filter(
            practice__ods_code=DEMO_ODS,
            status="registered",
            flags__kind="safeguarding_adult",
            date_of_birth__lte=datetime.date(1990, 1, 1),
            access_requests=None,
        )
        .exclude(flags__kind="access_declined")
        .exclude(mobile="")
        .order_by("nhs_number")
        .first()
    )
    online = journey.person("online-patient")
    online.goto(f"/p/{DEMO_ODS}/")
    step(online, "practice-page")
    with online.expect_navigation():
        online.get_by_role("link", name="Ask for access or tell us your choice").click()
    step(online, "choice")
    online.get_by_label("I want to see my GP health record online").check()
    submit(online, "Continue")
    step(online, "who")
    online.get_by_label("Myself").check()
    submit(online, "Continue")
    step(online, "name")
    online.get_by_label("First name").fill(asker.given_name)
    online.get_by_label("Last name").fill(asker.family_name)
    submit(online, "Continue")
    step(online, "date-of-birth")
    fill_date(online, asker.date_of_birth)
    submit(online, "Continue")
    step(online, "address")
    online.get_by_label("Address").fill(asker.address_line_1 or "1 Demo Street")
    online.get_by_label("Postcode").fill(asker.postcode)
    submit(online, "Continue")
    step(online, "nhs-number")
    online.get_by_label("NHS number (if you know it)").fill(asker.nhs_number)
    submit(online, "Continue")
    step(online, "contact")
    online.get_by_label("Text message").check()
    online.get_by_label("UK mobile number").fill(asker.mobile)
    submit(online, "Continue")
    step(online, "level")
    online.get_by_label("New entries from now on, including notes and letters").check()
    submit(online, "Continue")
    step(online, "needs")
    submit(online, "Continue")
    step(online, "declarations")
    for box in online.get_by_role("checkbox").all():
        box.check()
    submit(online, "Continue")
    expect(online.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    step(online, "check")
    submit(online, "Send request")
    expect(online.get_by_role("heading", name="Request sent")).to_be_visible()
    step(online, "sent")
    asked = AccessRequest.objects.get(patient=asker)
    assert asked.status == RequestStatus.MATCHED

    # Reception verifies their identity and puts the request on the waiting list.
    reception = journey.person("reception", *staff("demo-reception"))
    journey.go_to(reception, "Requests")
    step(reception, "requests")
    reception.goto(f"/staff/p/{DEMO_ODS}/requests/{asked.pk}/")
    expect(reception.get_by_role("heading", level=1)).to_contain_text(asked.reference_display)
    step(reception, "request")
    reception.get_by_label("Two identity documents, one with a photo").check()
    reception.get_by_label("What did you see?").fill("Passport and a council tax bill")
    submit(reception, "Record identity check")
    expect(reception.locator(".identity-check")).to_contain_text("Two identity documents")
    step(reception, "identity-verified")
    submit(reception, "Waiting for review")
    step(reception, "on-waiting-list")

    # The GP reviews the flagged request, decides, and codes it.
    gp = journey.person("gp", *staff("demo-reviewer"))
    journey.go_to(gp, "Waiting list")
    row = gp.locator("#waiting-list tr", has_text=asked.reference_display)
    while not row.count():
        with gp.expect_navigation():
            gp.locator("a[rel=next]").first.click()
    expect(row).to_contain_text("Flag demands enhanced review")
    step(gp, "waiting-list")
    with gp.expect_navigation():
        row.get_by_role("link", name="Review").click()
    step(gp, "request-to-review")
    submit(gp, "Claim this request for review")
    expect(gp.get_by_text("You are reviewing this request")).to_be_visible()
    expect(gp.locator("#flags")).to_contain_text("Vulnerable adult")
    step(gp, "review")
    gp.get_by_label("I have considered the patient's safeguarding and enhanced-review flags").check()
    for question in REVIEW_QUESTIONS:
        gp.get_by_role("group", name=question).get_by_label("None found").check()
    submit(gp, "Save checklist")
    expect(gp.get_by_text("Checklist complete")).to_be_visible()
    gp.get_by_label("Access granted", exact=True).check()
    gp.get_by_label("Level of access to give").select_option("prospective")
    fill_date(gp.get_by_role("group", name="Access starts on"), today)
    step(gp, "decision")
    submit(gp, "Record the decision")
    expect(gp.get_by_text("Decision recorded")).to_be_visible()
    step(gp, "decided")
    assert Decision.objects.get(request=asked).decided_by == "demo-reviewer"
    journey.go_to(gp, "Coding worklist")
    number = asker.nhs_number
    expect(gp.locator("#worklist")).to_contain_text(f"{number[:3]} {number[3:6]} {number[6:]}")
    step(gp, "coding-worklist")
    with gp.expect_download() as download:
        gp.get_by_role("button", name="Download the codes as CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [asker.nhs_number, "1364751000000106"] in [r[:2] for r in rows]

    # The patient's outcome message is in the outbox.
    run_worker()
    manager.goto(f"/staff/p/{DEMO_ODS}/outbox/")
    outcome = manager.locator(".nhsuk-card", has_text=f"DEC-{asked.reference}")
    expect(outcome).to_contain_text(f"Decision – reference DEC-{asked.reference}")
    expect(outcome).to_contain_text("You can see more of your record in the NHS App")
    step(manager, "outbox-outcome")

    # A question in the inbox is answered.
    journey.go_to(reception, "Question inbox")
    step(reception, "inbox")
    with reception.expect_navigation():
        reception.locator("#questions tbody tr").first.get_by_role("link").first.click()
    step(reception, "question")
    submit(reception, "Assign to me")
    answer = reception.locator("#answer-form")
    answer.get_by_label("Your answer").fill(
        "Yes: you can ask us for access at any time, online or at reception."
    )
    step(reception, "answer")
    submit(reception, "Send the answer")
    expect(reception.get_by_text(re.compile("^Answer sent by"))).to_be_visible()
    step(reception, "answered")

    # The plan exports, as a Word document and a PDF, and names the DPIA.
    journey.go_to(manager, "Practice plan")
    for name, read in (("Word document", _docx_text), ("PDF", _pdf_text)):
        with manager.expect_download() as download:
            manager.get_by_role("link", name=re.compile(f"as a {name}")).click()
        text = read(pathlib.Path(download.value.path()))
        assert DPIA_REFERENCE in text, name
    journey.assert_every_page_checked()
    assert journey.console_errors() == []


def _docx_text(path: pathlib.Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(path: pathlib.Path) -> str:
    return re.sub(r"\s+", " ", "".join(page.extract_text() for page in PdfReader(str(path)).pages))
