import datetime
import itertools

from recordaccess.audit.services import Actor
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Flag, FlagKind, Patient
from recordaccess.review.models import Answer
from tests.outreach.conftest import _number

STAFF = Actor.system("reception-sam")
REVIEWER = Actor.system("dr-jones")
SERIAL = itertools.count(500)
CLEAR = {
    "flags_considered": True,
    "third_party": Answer.NONE_FOUND,
    "serious_harm": Answer.NONE_FOUND,
    "coercion": Answer.NONE_FOUND,
    "results_pending": Answer.NONE_FOUND,
}


def waiting_request(
    practice, *, flag: str = "", level: str = "prospective", wish: str = "wants_access", **extra
):
    """A request matched to a new patient, identity verified and waiting for review, made through the services."""
    n = next(SERIAL)
    patient = Patient.objects.create(
        practice=practice,
        nhs_number=_number(n),
        given_name="Alex",
        family_name="Morgan",
        date_of_birth=datetime.date(1975, 1, 1) + datetime.timedelta(days=n),  # each request its own
        postcode="LS1 4AP",
    )
    if flag:
        Flag.objects.create(patient=patient, kind=flag, code="417430008", term="Vulnerable adult")
    details = intake.RequestDetails(
        wish=wish,
        given_name="Alex",
        family_name="Morgan",
        date_of_birth=patient.date_of_birth,
        address="1 Road\nLeeds",
        postcode="LS1 4AP",
        nhs_number=patient.nhs_number,
        mobile=extra.pop("mobile", "07700900111"),
        contact_by=extra.pop("contact_by", "sms"),
        access_level=level if wish == "wants_access" else "",
        declarations=wish == "wants_access",
        **extra,
    )
    request, _ = intake.submit(practice=practice, details=details, route="online", actor=STAFF)
    if request.patient_id is None:
        intake.confirm_match(actor=STAFF, request=request, patient_id=patient.pk)
    intake.verify_identity(
        actor=STAFF, request=request, method="documents", remote=False, evidence="Passport"
    )
    if request.for_someone_else:
        request.refresh_from_db()
        intake.record_proxy_authority(
            actor=STAFF, request=request, evidence="LPA seen", competence_assessed=True
        )
    request.refresh_from_db()
    intake.move(actor=STAFF, request=request, status="waiting")
    request.refresh_from_db()
    return request


def legacy_no_on_the_list(practice, **kwargs) -> AccessRequest:
    """A "no thank you" that reached the waiting list before a "no" stopped going there (data from before the
    question inbox): a reviewer still records it as the patient's decline."""
    request = waiting_request(practice, **kwargs)
    AccessRequest.objects.filter(pk=request.pk).update(wish="no_access", access_level="")
    request.refresh_from_db()
    return request


SAFEGUARDING = FlagKind.SAFEGUARDING_ADULT
