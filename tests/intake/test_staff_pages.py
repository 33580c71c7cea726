"""Requests from the staff side: the list by state, matching by hand, identity rules, moving on, keying in."""

import datetime
import io
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.intake import services
from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient
from recordaccess.practices.roles import Role
from recordaccess.practices.services import update_dpia
from tests import factories

pytestmark = pytest.mark.django_db
ANNE = services.RequestDetails(
    wish="wants_access",
    given_name="Anne",
    family_name="Smith",
    date_of_birth=datetime.date(1970, 5, 1),
    address="2 High St",
    postcode="LS1 4AP",
    access_level="prospective",
    declarations=True,
)


@pytest.fixture
def reception(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION, "bob"))
    return client


@pytest.fixture
def twins(practice):
    """Two registered patients the request could be: same surname, birthday and postcode."""
    make = lambda given, number: Patient.objects.create(  # noqa: E731
        practice=practice,
        nhs_number=number,
        given_name=given,
        family_name="Smith",
        date_of_birth=datetime.date(1970, 5, 1),
        postcode="LS1 4AP",
    )
    return make("Anne", "9434765919"), make("Anna", "4010232137")


def url(name, **kwargs):
    return reverse(f"staff:{name}", kwargs={"ods": "A81001", **kwargs})


def test_an_uncertain_match_waits_for_a_person_who_sees_the_candidates_side_by_side(
    reception, practice, twins
):
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    assert saved.match_status == "needs_staff" and saved.patient is None
    listing = reception.get(url("requests")).content.decode()
    assert "1 request needs a person to match" in listing and saved.reference_display in listing
    page = reception.get(url("request", request_id=saved.pk)).content.decode()
    assert "Anne Smith" in page and "Anna Smith" in page and "This is the patient" in page
    reception.post(url("request_match", request_id=saved.pk), {"patient": twins[0].pk})
    saved.refresh_from_db()
    assert (saved.patient, saved.status) == (twins[0], "matched")
    assert AuditEntry.objects.filter(action="request.view", object_id=str(saved.pk)).exists()


def test_remote_vouching_is_refused_for_detailed_access_and_documents_are_recorded(
    reception, practice, twins
):
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    refused = reception.post(
        url("request_identity", request_id=saved.pk), {"method": "vouching", "remote": "on"}, follow=True
    ).content.decode()
    assert "Remote vouching is not enough for coded or full record access" in refused
    reception.post(
        url("request_identity", request_id=saved.pk),
        {"method": "documents", "evidence": "Passport and council tax bill"},
    )
    saved.refresh_from_db()
    assert saved.status == "identity_verified"
    check = saved.identity_checks.get()
    assert (check.method, check.evidence) == ("documents", "Passport and council tax bill")


def test_a_request_moves_only_to_its_next_state_and_every_move_is_audited(reception, practice, twins):
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    page = reception.post(url("request_move", request_id=saved.pk), {"status": "waiting"}, follow=True)
    assert "cannot move to waiting for review" in page.content.decode()
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    services.verify_identity(
        actor=Actor.system("t"), request=saved, method="nhs_login_p9", remote=True, evidence=""
    )
    reception.post(url("request_move", request_id=saved.pk), {"status": "waiting"})
    saved.refresh_from_db()
    assert saved.status == "waiting"
    # Review and decision happen only on the review page, with its checks: never by a plain move.
    for state in ("in_review", "decided"):
        page = reception.post(url("request_move", request_id=saved.pk), {"status": state}, follow=True)
        assert "Claim the request from the waiting list" in page.content.decode()
        saved.refresh_from_db()
        assert saved.status == "waiting"
    moves = AuditEntry.objects.filter(action="request.move").values_list("detail", flat=True)
    assert len(moves) == 1


def test_a_request_with_no_patient_attached_is_never_moved_to_matched(reception, practice):
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    assert (saved.patient_id, saved.status) == (None, "received")  # no one on the register to match
    page = reception.get(url("request", request_id=saved.pk)).content.decode()
    assert 'name="status" value="matched"' not in page  # no button that can only fail
    refused = reception.post(url("request_move", request_id=saved.pk), {"status": "matched"}, follow=True)
    assert "Match the request to a patient on the register first" in refused.content.decode()
    with pytest.raises(services.RequestError, match="Match the request to a patient on the register first"):
        services.move(actor=Actor.system("t"), request=saved, status="matched")
    saved.refresh_from_db()
    assert (saved.patient_id, saved.status) == (None, "received")
    assert not AuditEntry.objects.filter(action="request.move").exists()


def test_a_paper_form_is_keyed_in_with_the_same_checks(reception, practice, twins):
    bad = reception.post(url("request_new"), {"route": "paper", "wish": "wants_access"}).content.decode()
    assert "Enter a first name" in bad and "Enter your date of birth" in bad
    assert "Select what they would like to see" in bad and "must confirm the declarations" in bad
    response = reception.post(
        url("request_new"),
        {
            "route": "paper",
            "wish": "wants_access",
            "given_name": "Anne",
            "family_name": "Smith",
            "day": "1",
            "month": "5",
            "year": "1970",
            "address": "2 High St",
            "postcode": "ls1 4ap",
            "nhs_number": "943 476 5919",
            "access_level": "coded",
            "declarations": "on",
        },
    )
    saved = AccessRequest.objects.get()
    assert response["Location"] == url("request", request_id=saved.pk)
    assert (saved.route, saved.entered_by, saved.patient, saved.access_level) == (
        "paper",
        "bob",
        twins[0],
        "coded",
    )


def test_a_paper_form_from_someone_asking_for_another_person_is_keyed_in_as_a_proxy_request(
    reception, practice, twins
):
    form = {
        "route": "paper",
        "wish": "wants_access",
        "given_name": "Anne",
        "family_name": "Smith",
        "day": "1",
        "month": "5",
        "year": "1970",
        "address": "2 High St",
        "postcode": "ls1 4ap",
        "access_level": "prospective",
        "declarations": "on",
    }
    bad = reception.post(url("request_new"), {**form, "proxy_basis": "lpa"}).content.decode()
    assert "Enter the name of the person asking" in bad and "Enter their relationship to the patient" in bad
    named_only = reception.post(url("request_new"), {**form, "requester_name": "Mary Smith"}).content.decode()
    assert "Select what lets them act for the patient" in named_only
    assert not AccessRequest.objects.exists()
    reception.post(
        url("request_new"),
        {**form, "requester_name": "Mary Smith", "requester_relationship": "daughter", "proxy_basis": "lpa"},
    )
    saved = AccessRequest.objects.get()
    assert (
        saved.for_someone_else,
        saved.requester_name,
        saved.requester_relationship,
        saved.proxy_basis,
    ) == (
        True,
        "Mary Smith",
        "daughter",
        "lpa",
    )
    page = reception.get(url("request", request_id=saved.pk)).content.decode()
    assert "Authority to act" in page  # their authority is checked before review (H21)


def test_the_blank_paper_form_prints_with_the_practices_details(reception, practice):
    pdf = PdfReader(io.BytesIO(reception.get(url("request_paper_form")).content))
    text = pdf.pages[0].extract_text()
    assert "Riverside Surgery" in text and "For practice use" in "".join(p.extract_text() for p in pdf.pages)


def test_the_paper_form_names_the_dpia_and_has_a_section_for_someone_asking_for_another_person(
    reception, practice
):
    update_dpia(
        actor=Actor.system("t"),
        practice=practice,
        reference="DPIA-2026/07",
        completed_on=datetime.date(2026, 3, 2),
    )
    pdf = PdfReader(io.BytesIO(reception.get(url("request_paper_form")).content))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "data protection impact assessment (DPIA), reference DPIA-2026/07, completed 2 March 2026" in text
    assert "If you are asking for someone else" in text
    for label in ("Your name", "Your relationship to the patient", "Your phone or email"):
        assert label in text
    for basis in (
        "The patient agrees",
        "Parental responsibility",
        "Lasting power of attorney for health and welfare",
        "Court-appointed deputy",
    ):
        assert basis in text
    assert "bring proof that you may act for them" in text


def test_observers_never_see_requests(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.OBSERVER))
    assert client.get(url("requests")).status_code == 403


@pytest.mark.parametrize(
    ("basis", "age", "assessed", "problem"),
    [
        ("parental_responsibility", 9, False, ""),
        ("parental_responsibility", 13, False, "assess the case (Gillick competence)"),
        ("parental_responsibility", 13, True, ""),
        ("parental_responsibility", 16, True, "the young person must consent"),
        ("lpa", 15, False, "is for an adult"),
        ("lpa", 80, False, ""),
        ("consent", 40, False, ""),
    ],
)
def test_the_childs_age_decides_what_a_parent_or_attorney_may_do(basis, age, assessed, problem):
    today = datetime.date(2026, 11, 25)
    born = (
        datetime.date(today.year - age, 6, 1)
        if today.month > 6
        else datetime.date(today.year - age - 1, 6, 1)
    )
    found = services.proxy_problem(basis=basis, patient_born=born, today=today, competence_assessed=assessed)
    assert (problem in found) if problem else found == ""


def test_a_proxy_request_waits_for_the_evidence_of_authority_and_ends_after_a_year(
    reception, practice, twins
):
    details = services.RequestDetails(
        **{
            **ANNE.__dict__,
            "for_someone_else": True,
            "requester_name": "Mary Smith",
            "requester_relationship": "daughter",
            "proxy_basis": "lpa",
        }
    )
    saved, _ = services.submit(practice=practice, details=details, route="online", actor=Actor.system("t"))
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    services.verify_identity(
        actor=Actor.system("t"),
        request=saved,
        method="documents",
        remote=False,
        evidence="Passport and bank statement",
    )
    refused = reception.post(url("request_move", request_id=saved.pk), {"status": "waiting"}, follow=True)
    assert "Record the evidence of the proxy" in refused.content.decode()
    empty = reception.post(url("request_proxy", request_id=saved.pk), {"evidence": ""}, follow=True)
    assert "Say what evidence of their authority you saw" in empty.content.decode()
    reception.post(
        url("request_proxy", request_id=saved.pk), {"evidence": "Registered LPA, health and welfare"}
    )
    saved.refresh_from_db()
    assert saved.proxy_ends_on == saved.proxy_ends_on.replace(year=datetime.date.today().year + 1)
    reception.post(url("request_move", request_id=saved.pk), {"status": "waiting"})
    saved.refresh_from_db()
    assert saved.status == "waiting"


def test_a_clinician_records_a_request_in_a_consultation_from_the_patients_page(client, practice, twins):
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr.shah"))
    anne = twins[0]
    page = client.get(
        reverse("staff:patient", kwargs={"ods": "A81001", "patient_id": anne.pk})
    ).content.decode()
    assert (
        "Record a request made in this consultation" in page and "No requests for online access yet." in page
    )
    capture = url("request_capture", patient_id=anne.pk)
    refused = client.post(capture, {"wish": "wants_access", "access_level": "coded"}, follow=True)
    assert "Go through the declarations with them" in refused.content.decode()
    client.post(capture, {"wish": "wants_access", "access_level": "coded", "declarations": "on"})
    saved = AccessRequest.objects.get()
    assert (saved.route, saved.patient, saved.entered_by, saved.status) == (
        "consultation",
        anne,
        "dr.shah",
        "matched",
    )
    page = client.get(
        reverse("staff:patient", kwargs={"ods": "A81001", "patient_id": anne.pk})
    ).content.decode()
    assert saved.reference_display in page


def test_copies_of_identity_documents_are_kept_only_where_the_practice_says_and_opening_one_is_audited(
    reception, practice, twins
):
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    scan = SimpleUploadedFile("passport.pdf", b"%PDF-1.7 a scan", content_type="application/pdf")
    form = {"method": "documents", "evidence": "Passport and council tax bill", "document": scan}
    refused = reception.post(url("request_identity", request_id=saved.pk), form, follow=True).content.decode()
    assert "This practice does not keep copies of identity documents" in refused
    assert not saved.identity_checks.exists()

    practice.store_identity_documents = True
    practice.save()
    not_a_scan = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    bad = reception.post(
        url("request_identity", request_id=saved.pk), {**form, "document": not_a_scan}, follow=True
    )
    assert "The copy must be a PDF, JPEG or PNG" in bad.content.decode()
    scan.seek(0)
    reception.post(url("request_identity", request_id=saved.pk), {**form, "document": scan})
    check = saved.identity_checks.get()
    assert check.document.name.startswith("identity/") and str(settings.MEDIA_ROOT) in check.document.path
    download = reception.get(url("identity_document", request_id=saved.pk, check_id=check.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 a scan"
    assert AuditEntry.objects.filter(action="identity.document_view", patient_id=twins[0].pk).exists()
    assert reception.get(f"/assets/{check.document.name}").status_code == 404  # never a public file


def test_a_kept_copy_of_identity_documents_is_readable_only_by_the_service_whatever_the_umask(
    reception, practice, twins
):
    practice.store_identity_documents = True
    practice.save()
    saved, _ = services.submit(practice=practice, details=ANNE, route="online", actor=Actor.system("t"))
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    scan = SimpleUploadedFile("passport.pdf", b"%PDF-1.7 a scan", content_type="application/pdf")
    previous = os.umask(0)
    try:
        reception.post(
            url("request_identity", request_id=saved.pk),
            {"method": "documents", "evidence": "Passport and council tax bill", "document": scan},
        )
    finally:
        os.umask(previous)
    path = Path(saved.identity_checks.get().document.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folders = [path.parent, *path.parent.parents]
    folders = folders[: folders.index(Path(settings.MEDIA_ROOT)) + 1]
    assert [oct(stat.S_IMODE(folder.stat().st_mode)) for folder in folders] == [oct(0o700)] * len(folders)


def test_identity_and_authority_errors_are_in_the_error_summary_and_the_values_are_kept(
    reception, practice, twins
):
    details = services.RequestDetails(
        **{
            **ANNE.__dict__,
            "for_someone_else": True,
            "requester_name": "Mary Smith",
            "requester_relationship": "daughter",
            "proxy_basis": "lpa",
        }
    )
    saved, _ = services.submit(practice=practice, details=details, route="online", actor=Actor.system("t"))
    services.confirm_match(actor=Actor.system("t"), request=saved, patient_id=twins[0].pk)
    page = reception.post(
        url("request_identity", request_id=saved.pk), {"remote": "on", "evidence": "Known to Dr Rao"}
    ).content.decode()
    assert "nhsuk-error-summary" in page and 'href="#method"' in page
    assert "Known to Dr Rao</textarea>" in page and 'name="remote" type="checkbox" value="on" checked' in page
    page = reception.post(
        url("request_proxy", request_id=saved.pk), {"evidence": "", "competence_assessed": "on"}
    ).content.decode()
    assert 'href="#proxy_evidence"' in page and 'id="proxy_evidence"' in page
    assert 'name="competence_assessed" type="checkbox" value="on" checked' in page


def test_the_key_in_form_asks_the_paper_forms_contact_needs_and_services_and_stores_them_as_online(
    reception, practice, twins
):
    anne = {
        "route": "paper", "wish": "wants_access", "given_name": "Anne", "family_name": "Smith",
        "day": "1", "month": "5", "year": "1970", "address": "2 High St", "postcode": "ls1 4ap",
        "mobile": "07700 900123", "access_level": "coded", "declarations": "on",
    }  # fmt: skip
    page = reception.post(
        url("request_new"),
        {**anne, "contact_by": "email", "communication_needs": "Large print", "services": ["prescriptions"]},
    ).content.decode()
    assert "nhsuk-error-summary" in page and 'href="#id_email"' in page
    assert "Enter their email address, or choose another way to contact them" in page
    assert '<option value="email" selected' in page and "Large print</textarea>" in page
    assert 'value="prescriptions" checked' in page
    reception.post(
        url("request_new"),
        {**anne, "contact_by": "letter", "communication_needs": "Large print", "services": ["prescriptions"]},
    )
    saved = AccessRequest.objects.get()
    assert (saved.contact_by, saved.communication_needs) == ("letter", "Large print")
    assert (saved.appointments, saved.prescriptions) == (False, True)


def test_the_paper_form_asks_about_communication_needs_as_the_key_in_form_does(reception, practice):
    pdf = reception.get(url("request_paper_form")).content
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Do you need anything to help you communicate with us?" in text


def test_a_consultation_request_refused_comes_back_in_the_error_summary_with_what_was_chosen(
    client, practice, twins
):
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER, "dr.shah"))
    capture = url("request_capture", patient_id=twins[0].pk)
    page = client.post(capture, {"wish": "wants_access", "access_level": "coded"}).content.decode()
    assert "nhsuk-error-summary" in page and 'href="#capture-declarations"' in page
    assert 'value="wants_access" checked' in page and '<option value="coded" selected' in page
    assert not AccessRequest.objects.exists()


def test_a_request_keyed_in_with_only_a_landline_is_answered_by_a_call(reception, practice, twins):
    form = {
        "route": "phone",
        "wish": "has_questions",
        "given_name": "Anne",
        "family_name": "Smith",
        "day": "1",
        "month": "5",
        "year": "1970",
        "address": "2 High St",
        "postcode": "ls1 4ap",
        "question": "Can my son see it?",
    }
    bad = reception.post(url("request_new"), {**form, "phone": "0113 496"}).content.decode()
    assert "The phone number has too few numbers" in bad and "There is a problem" in bad
    landline_as_mobile = reception.post(
        url("request_new"), {**form, "mobile": "0113 496 0000"}
    ).content.decode()
    assert "Enter a UK mobile number, like 07700 900 982" in landline_as_mobile
    reception.post(url("request_new"), {**form, "phone": "0113 496 0000"})
    saved = AccessRequest.objects.get()
    assert (saved.phone, saved.mobile, saved.contact_by) == ("01134960000", "", "phone")
