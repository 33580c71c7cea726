"""The online request form, page by page, through Django's test client (the browser test walks it in Chromium)."""

import datetime

import pytest
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.intake.models import AccessRequest
from recordaccess.practices.services import update_dpia
from tests.intake.conftest import answer_all

pytestmark = pytest.mark.django_db


def record_dpia(practice, reference: str) -> None:
    update_dpia(
        actor=Actor.system("tests"),
        practice=practice,
        reference=reference,
        completed_on=datetime.date(2026, 3, 2),
    )


def send(client, ods="A81001"):
    return client.post(reverse("intake:request_check", kwargs={"ods": ods}))


def test_a_patient_asks_for_access_and_gets_a_reference_to_read_out(client, practice, registered):
    check = answer_all(client).content.decode()
    assert "Check your answers before sending" in check and "O&#39;Brien" in check and "LS1 4AP" in check
    done = client.get(send(client)["Location"]).content.decode()
    saved = AccessRequest.objects.get()
    assert saved.reference_display in done and len(saved.reference) == 8
    assert (saved.wish, saved.access_level, saved.appointments, saved.prescriptions) == (
        "wants_access",
        "prospective",
        True,
        False,
    )
    assert (saved.postcode, saved.nhs_number, saved.mobile, saved.declarations) == (
        "LS1 4AP",
        "9434765919",
        "07700900123",
        True,
    )
    assert saved.patient == registered and saved.status == "matched"
    assert list(AuditEntry.objects.filter(object_type="access_request").values_list("action", flat=True)) == [
        "request.receive",
        "request.match",
    ]


def test_saying_no_is_as_short_as_asking(client, practice):
    answer_all(client, choice={"wish": "no_access"})
    send(client)
    saved = AccessRequest.objects.get()
    assert saved.wish == "no_access" and saved.access_level == "" and not saved.declarations


def test_a_question_is_kept_as_text(client, practice):
    question = "<script>alert('x')</script> Can my son see it?"
    check = answer_all(client, choice={"wish": "has_questions"}, question={"question": question}).content
    assert b"<script>alert" not in check and b"&lt;script&gt;" in check
    send(client)
    assert AccessRequest.objects.get().question == question


def test_a_proxy_says_who_they_are_and_by_what_right(client, practice):
    answer_all(
        client,
        who={"who": "someone_else"},
        proxy={
            "requester_name": "Mary O'Brien",
            "requester_relationship": "mother",
            "proxy_basis": "parental_responsibility",
        },
    )
    send(client)
    saved = AccessRequest.objects.get()
    assert saved.for_someone_else and saved.requester_name == "Mary O'Brien"
    assert saved.proxy_basis == "parental_responsibility"


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("choice", {}, "Select what you would like to do"),
        ("name", {"given_name": "", "family_name": "Smith"}, "Enter a first name"),
        ("name", {"given_name": "Sam1", "family_name": "Smith"}, "First name must only include letters"),
        ("date-of-birth", {"day": "", "month": "", "year": ""}, "Enter your date of birth"),
        ("date-of-birth", {"day": "31", "month": "2", "year": "1980"}, "Date of birth must be a real date"),
        ("date-of-birth", {"day": "1", "month": "1", "year": "2999"}, "Date of birth must be in the past"),
        ("date-of-birth", {"day": "1", "month": "", "year": "1980"}, "Date of birth must include a month"),
        ("address", {"address": "", "postcode": "LS1 4AP"}, "Enter your address"),
        ("address", {"address": "1 Road", "postcode": "XX"}, "Enter a real postcode"),
        ("nhs-number", {"nhs_number": "1234567890"}, "it is not a real NHS number"),
        ("nhs-number", {"nhs_number": "12345"}, "NHS number must be 10 digits"),
        ("contact", {"mobile": "", "email": "", "contact_by": "sms"}, "Enter a UK mobile number, or choose"),
        ("contact", {"mobile": "01632 960000", "contact_by": "sms"}, "Enter a UK mobile number, like"),
        ("contact", {"contact_by": "phone"}, "Enter a UK phone number, landline or mobile, or choose"),
        ("contact", {"phone": "0113 FOUR", "contact_by": "phone"}, "Enter a phone number using only numbers"),
        ("contact", {"phone": "0906 123 4567", "contact_by": "phone"}, "starting 01, 02, 03 or 07"),
        ("contact", {"phone": "0113 496 00001", "contact_by": "phone"}, "has too many numbers"),
        ("contact", {"phone": "0113 496", "contact_by": "phone"}, "has too few numbers"),
        ("contact", {"phone": "0113 496 0000", "contact_by": "sms"}, "Enter a UK mobile number, or choose"),
        (
            "contact",
            {"email": "not-an-email", "contact_by": "email"},
            "Enter an email address in the correct",
        ),
        ("access", {}, "Select what you would like to see"),
        ("declarations", {"confirmed": ["leaflet"]}, "Confirm each statement to ask for access"),
    ],
)
def test_every_bad_answer_gets_a_specific_message_in_the_error_summary(client, practice, step, data, message):
    answer_all(client)  # every page answered, so each can be revisited
    page = client.post(f"/p/A81001/request/{step}/", data).content.decode()
    assert "There is a problem" in page and message in page
    assert "<title>Error: " in page


def test_the_check_page_cannot_be_reached_with_pages_unanswered(client, practice):
    client.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    assert client.get("/p/A81001/request/check/")["Location"] == "/p/A81001/request/who/"
    assert send(client)["Location"] == "/p/A81001/request/who/"
    assert not AccessRequest.objects.exists()


def test_progress_is_shown_for_reference_and_date_of_birth_only(client, practice, registered):
    answer_all(client)
    send(client)
    saved = AccessRequest.objects.get()
    url = reverse("intake:request_status", kwargs={"ods": "A81001"})
    right = client.post(
        url, {"reference": saved.reference_display.lower(), "day": "7", "month": "3", "year": "1980"}
    )
    assert (
        "We have found your record" in right.content.decode()
    )  # issue 13: plain words, not "Matched to the register"
    wrong = client.post(url, {"reference": saved.reference_display, "day": "8", "month": "3", "year": "1980"})
    assert "We could not find a request" in wrong.content.decode()


def test_the_start_page_names_the_practices_dpia_as_a_paragraph_not_as_raw_html(client, practice):
    record_dpia(practice, "DPIA-2026/07")
    page = client.get(reverse("intake:start", kwargs={"ods": "A81001"})).content.decode()
    assert "<p>We checked how to keep your information safe in our data protection impact assessment" in page
    assert "reference DPIA-2026/07, completed 2 March 2026.</p>" in page
    assert "&lt;p&gt;" not in page


def test_staff_entered_dpia_text_is_shown_as_text_never_run_as_html(client, practice):
    record_dpia(practice, '<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = client.get(reverse("intake:start", kwargs={"ods": "A81001"})).content.decode()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    ("contact", "kept"),
    [
        ({"phone": "0113 496 0000", "contact_by": "phone"}, ("01134960000", "")),  # a landline for calls
        ({"mobile": "07700 900123", "contact_by": "phone"}, ("", "07700900123")),  # or the mobile
    ],
)
def test_a_phone_call_needs_a_number_to_call_landline_or_mobile(client, practice, contact, kept):
    check = answer_all(client, answers={"contact": {"mobile": "", "email": "", **contact}}).content.decode()
    assert "Check your answers before sending" in check
    send(client)
    saved = AccessRequest.objects.get()
    assert (saved.phone, saved.mobile, saved.contact_by) == (*kept, "phone")
