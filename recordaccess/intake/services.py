"""Requests about online access: taking them in, matching them to the register, verifying identity, moving
them along. Every change is one transaction with its audit entry.

A request is accepted once and never lost: the same details sent again within REPEAT_WINDOW (a double click, a
patient unsure it went) are joined to the first, which keeps its reference. Whether the details match a
registered patient never changes what the patient is told.
"""

import datetime
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, appended_at_the_end, record
from recordaccess.core.codes import normalise as normalise_code
from recordaccess.core.codes import random_code
from recordaccess.core.errors import DomainError
from recordaccess.intake import acknowledge
from recordaccess.intake.children import NHS_LOGIN_AGE
from recordaccess.intake.models import (
    ON_LIST,
    AccessLevel,
    AccessRequest,
    IdentityCheck,
    IdentityMethod,
    MatchStatus,
    ProxyBasis,
    RequestStatus,
    Route,
    Wish,
)
from recordaccess.intake.signals import request_matched, request_received
from recordaccess.intake.waiting_list import refresh
from recordaccess.patients.cohorts import age_on
from recordaccess.patients.models import Patient
from recordaccess.patients.names import search_key
from recordaccess.practices.models import Practice

REPEAT_WINDOW = datetime.timedelta(minutes=10)
# Levels of access that remote vouching alone may not open (DOMAIN.md: identity verification).
DETAILED_LEVELS = {AccessLevel.CODED, AccessLevel.PROSPECTIVE, AccessLevel.HISTORIC}
NEXT = {
    RequestStatus.RECEIVED: {RequestStatus.MATCHED},
    RequestStatus.MATCHED: {RequestStatus.IDENTITY_VERIFIED},
    RequestStatus.IDENTITY_VERIFIED: {RequestStatus.WAITING},
    RequestStatus.WAITING: {RequestStatus.IN_REVIEW},
    RequestStatus.IN_REVIEW: {RequestStatus.DECIDED, RequestStatus.WAITING},
    RequestStatus.DECIDED: set(),
}


# Taking a request into review and deciding it belong to the review page (review/decisions.py) and its checks:
# a plain "move" never does either.
REVIEW_OWNS = {RequestStatus.IN_REVIEW, RequestStatus.DECIDED}


def manual_moves(request: AccessRequest) -> list[RequestStatus]:
    """The moves to offer on the request's page: none to "matched" until a patient is attached (H60), none
    towards the waiting list for a request that is not for access (H75)."""
    return [
        RequestStatus(s)
        for s in NEXT[RequestStatus(request.status)]
        if s not in REVIEW_OWNS
        and not (s == RequestStatus.MATCHED and request.patient_id is None)
        and not (s in ON_LIST and request.wish != Wish.WANTS_ACCESS)
    ]


class RequestError(DomainError):
    """Something that cannot be done to a request, with a message for the person doing it."""


NOT_FOR_ACCESS = (
    "This request is not for online access (it is a question or a “no thank you”), so it never goes on the "
    "waiting list: answer a question in the question inbox, where you can turn it into a request for access."
)


@dataclass(frozen=True)
class RequestDetails:
    """What a request says, already checked field by field (intake/forms.py)."""

    wish: str
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    address: str
    postcode: str
    nhs_number: str = ""
    mobile: str = ""
    phone: str = ""  # to call: a landline or a mobile (patients/contacts.normalise_uk_phone)
    email: str = ""
    contact_by: str = "sms"
    communication_needs: str = ""
    access_level: str = ""
    appointments: bool = False
    prescriptions: bool = False
    question: str = ""
    declarations: bool = False
    for_someone_else: bool = False
    requester_name: str = ""
    requester_relationship: str = ""
    proxy_basis: str = ""

    def fingerprint(self, practice_id: int) -> str:
        """The same request sent again has the same fingerprint, however its names are written."""
        parts = [
            str(practice_id),
            self.wish,
            search_key(self.given_name),
            search_key(self.family_name),
            self.date_of_birth.isoformat(),
            self.postcode.replace(" ", ""),
            search_key(self.requester_name),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def audit_request(actor: Actor, request: AccessRequest, action: str, detail: dict) -> None:
    record(
        actor=actor,
        action=action,
        practice_ods=request.practice.ods_code,
        object_type="access_request",
        object_id=request.pk,
        patient_id=request.patient_id,
        detail=detail,
    )


def submit(
    *,
    practice: Practice,
    details: RequestDetails,
    route: str,
    actor: Actor,
    entered_by: str = "",
    identity: str = "",
) -> tuple[AccessRequest, bool]:
    """Take a request in. Returns it and whether it joined an earlier identical one. `identity` says how the
    requester's identity stands when the route says something about it (an answer to our own message)."""
    fingerprint = details.fingerprint(practice.pk)
    # Its audit entries are chained as the transaction ends, not held locked while it matches, places and
    # acknowledges the request (audit.services.appended_at_the_end).
    with transaction.atomic(), appended_at_the_end():
        _one_at_a_time(fingerprint)
        earlier = (
            AccessRequest.objects.select_for_update()
            .filter(
                practice=practice, fingerprint=fingerprint, received_at__gte=timezone.now() - REPEAT_WINDOW
            )
            .order_by("received_at")
            .first()
        )
        if earlier is not None:
            AccessRequest.objects.filter(pk=earlier.pk).update(repeats=earlier.repeats + 1)
            record(
                actor=actor,
                action="request.repeat",
                practice_ods=practice.ods_code,
                object_type="access_request",
                object_id=earlier.pk,
            )
            return earlier, True
        request = _create(practice, details, route, fingerprint, entered_by)
        record(
            actor=actor,
            action="request.receive",
            practice_ods=practice.ods_code,
            object_type="access_request",
            object_id=request.pk,
            detail={"route": route, "wish": details.wish} | ({"identity": identity} if identity else {}),
        )
        match(request, actor=actor)
        refresh(request)  # the waiting list's order
        acknowledge.queue(request)
        request_received.send(sender=AccessRequest, request=request, actor=actor)
    return request, False


def _one_at_a_time(fingerprint: str) -> None:
    """Senders of the same request wait for each other until the transaction ends, so the second finds the first
    (H42). Without this, two sends at the same moment on PostgreSQL both find no earlier row and both insert.
    SQLite needs nothing more: its transactions are IMMEDIATE (settings.py), so writers already go one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(fingerprint[:15], 16)])


def _create(
    practice, details: RequestDetails, route: str, fingerprint: str, entered_by: str
) -> AccessRequest:
    for _ in range(5):  # a clash of 40 random bits is vanishingly rare; try again rather than fail
        try:
            with transaction.atomic():
                return AccessRequest.objects.create(
                    practice=practice,
                    reference=random_code(8),
                    route=route,
                    fingerprint=fingerprint,
                    entered_by=entered_by,
                    **asdict(details),
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not make a unique reference")


def match(request: AccessRequest, *, actor: Actor) -> str:
    """Match to the register by NHS number and date of birth, or by surname, date of birth and postcode.
    Exactly one candidate matches; none or several go to the matching queue for a person."""
    registered = Patient.objects.filter(practice=request.practice, status="registered")
    candidates = []
    if request.nhs_number:
        candidates = list(
            registered.filter(nhs_number=request.nhs_number, date_of_birth=request.date_of_birth)
        )
    if not candidates:
        candidates = list(
            registered.filter(
                family_key=search_key(request.family_name),
                date_of_birth=request.date_of_birth,
                postcode=request.postcode,
            )[:3]
        )
    if len(candidates) == 1:
        _set_match(request, candidates[0], actor, how=AUTOMATIC)
    else:
        AccessRequest.objects.filter(pk=request.pk).update(match_status=MatchStatus.NEEDS_STAFF)
        request.match_status = MatchStatus.NEEDS_STAFF
    return request.match_status


def candidates_for(request: AccessRequest, limit: int = 10):
    """Patients a person might match a request to: same date of birth, and the same surname or postcode."""
    registered = Patient.objects.filter(practice=request.practice, date_of_birth=request.date_of_birth)
    by_name = registered.filter(family_key=search_key(request.family_name))
    by_place = registered.filter(postcode=request.postcode)
    by_number = registered.filter(nhs_number=request.nhs_number) if request.nhs_number else registered.none()
    return (by_name | by_place | by_number).order_by("family_name", "given_name")[:limit]


@transaction.atomic
def confirm_match(*, actor: Actor, request: AccessRequest, patient_id: int) -> AccessRequest:
    patient = Patient.objects.filter(practice=request.practice, pk=patient_id).first()
    if patient is None:
        raise RequestError("That patient is not on this practice's register.")
    _set_match(request, patient, actor, how="by staff")
    return request


AUTOMATIC = "automatic"


def _set_match(request: AccessRequest, patient: Patient, actor: Actor, how: str) -> None:
    request.patient, request.match_status = patient, MatchStatus.MATCHED
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.MATCHED
    request.save(update_fields=["patient", "match_status", "status", "updated_at"])
    refresh(request)  # a flag on the patient changes the request's place
    record(
        actor=actor,
        action="request.match",
        practice_ods=request.practice.ods_code,
        object_type="access_request",
        object_id=request.pk,
        patient_id=patient.pk,
        detail={"how": how},
    )
    if how != AUTOMATIC:  # a match made as the request arrives is told by request_received
        request_matched.send(sender=AccessRequest, request=request, actor=actor)


@transaction.atomic
def verify_identity(
    *, actor: Actor, request: AccessRequest, method: str, remote: bool, evidence: str, document=None
) -> IdentityCheck:
    """Record how identity was verified. Remote vouching alone is refused for detailed or full records."""
    if request.patient_id is None:
        raise RequestError("Match the request to a patient before verifying identity.")
    if request.wish != Wish.WANTS_ACCESS:
        raise RequestError(NOT_FOR_ACCESS)
    if method not in IdentityMethod.values:
        raise RequestError("Choose how identity was verified.")
    vouched = method in (IdentityMethod.VOUCHING, IdentityMethod.VOUCHING_CONFIRMED)
    if vouched and remote and request.access_level in DETAILED_LEVELS:
        raise RequestError(
            "Remote vouching is not enough for coded or full record access: verify at the desk with two "
            "documents, or through NHS login at P9."
        )
    if method == IdentityMethod.DOCUMENTS and not evidence.strip():
        raise RequestError("Say which two documents you saw, one with a photo.")
    if document is not None and not request.practice.store_identity_documents:
        raise RequestError("This practice does not keep copies of identity documents: record what you saw.")
    check = IdentityCheck.objects.create(
        request=request, method=method, remote=remote, evidence=evidence.strip(), verified_by=actor.name
    )
    if document is not None:
        check.document.save(f"{request.reference}-{check.pk}{Path(document.name).suffix.lower()}", document)
    if request.status == RequestStatus.MATCHED:
        request.status = RequestStatus.IDENTITY_VERIFIED
        request.save(update_fields=["status", "updated_at"])
    audit_request(actor, request, "request.identity", {"method": method, "remote": remote})
    return check


@transaction.atomic
def move(*, actor: Actor, request: AccessRequest, status: str) -> AccessRequest:
    """Move a request to its next state; only the transitions in NEXT are allowed."""
    current = RequestStatus(request.status)
    if status in REVIEW_OWNS:
        raise RequestError("Claim the request from the waiting list and decide it on its review page.")
    if status not in NEXT[current]:
        raise RequestError(
            f"A request that is {current.label.lower()} cannot move to {RequestStatus(status).label.lower()}."
        )
    if status in ON_LIST and request.wish != Wish.WANTS_ACCESS:  # H75
        raise RequestError(NOT_FOR_ACCESS)
    if status == RequestStatus.MATCHED and request.patient_id is None:  # H60
        raise RequestError(
            "Match the request to a patient on the register first: choose the patient under “Matching to the "
            "register”."
        )
    if status == RequestStatus.IDENTITY_VERIFIED and not request.identity_checks.exists():
        raise RequestError("Record how identity was verified first.")
    if status == RequestStatus.WAITING and request.for_someone_else and not request.proxy_evidence:
        raise RequestError("Record the evidence of the proxy's authority to act first.")
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    audit_request(actor, request, "request.move", {"from": current.value, "to": status})
    return request


def proxy_problem(
    *, basis: str, patient_born: datetime.date, today: datetime.date, competence_assessed: bool
) -> str:
    """Why a proxy may not act on this basis, or '' (DOMAIN.md, proxy access): parents control access up to
    11; from 11 to 16 each case is assessed; from 16 the young person's own consent is needed; a lasting power
    of attorney or a deputyship is for an adult who lacks capacity."""
    age = age_on(patient_born, today)
    if basis == ProxyBasis.PARENTAL_RESPONSIBILITY:
        if age >= 16:
            return "At 16 and over, parental responsibility is not enough: the young person must consent."
        if age >= 11 and not competence_assessed:
            return (
                "For a child aged 11 to 15, assess the case (Gillick competence) before a parent has access."
            )
    if basis in (ProxyBasis.LASTING_POWER_OF_ATTORNEY, ProxyBasis.DEPUTY) and age < 18:
        return "A lasting power of attorney or a deputyship is for an adult: choose another basis."
    return ""


@transaction.atomic
def record_proxy_authority(
    *,
    actor: Actor,
    request: AccessRequest,
    evidence: str,
    competence_assessed: bool = False,
    ends_on: datetime.date | None = None,
) -> AccessRequest:
    """Record the evidence that the proxy may act, and when their access ends (a year by default)."""
    if not request.for_someone_else:
        raise RequestError("This request is from the patient themselves: there is no proxy.")
    if request.patient_id is None:
        raise RequestError("Match the request to a patient before recording a proxy's authority.")
    if not evidence.strip():
        raise RequestError("Say what evidence of their authority you saw (for example, the registered LPA).")
    today = timezone.localdate()
    problem = proxy_problem(
        basis=request.proxy_basis,
        patient_born=request.patient.date_of_birth,
        today=today,
        competence_assessed=competence_assessed,
    )
    if problem:
        raise RequestError(problem)
    if ends_on is None:
        try:
            ends_on = today.replace(year=today.year + 1)
        except ValueError:  # 29 February
            ends_on = today + datetime.timedelta(days=365)
    if ends_on <= today:
        raise RequestError("The end of proxy access must be after today.")
    request.proxy_evidence, request.proxy_ends_on = evidence.strip(), ends_on
    request.save(update_fields=["proxy_evidence", "proxy_ends_on", "updated_at"])
    audit_request(
        actor,
        request,
        "request.proxy_authority",
        {
            "basis": request.proxy_basis,
            "ends_on": ends_on.isoformat(),
            "competence_assessed": competence_assessed,
        },
    )
    return request


def find_for_patient(
    practice: Practice, reference: str, date_of_birth: datetime.date
) -> AccessRequest | None:
    """A patient checking progress: reference and date of birth both right, or nothing at all."""
    code = normalise_code(reference)
    if len(code) != 8:
        return None
    return AccessRequest.objects.filter(
        practice=practice, reference=code, date_of_birth=date_of_birth
    ).first()


def verify_with_nhs_login(*, request: AccessRequest, verified) -> str:
    """Apply an NHS login sign-in to the patient's own request. Returns "verified", or why not: "not_p9" (verify
    at the desk), "mismatch" (not the same person as the request), "not_registered" (staff will look)."""
    if request.for_someone_else:
        return "mismatch"  # NHS login proves who signed in: a proxy, not the patient
    if not verified.p9:
        return "not_p9"
    if age_on(request.date_of_birth, timezone.localdate()) < NHS_LOGIN_AGE:
        return "not_p9"  # NHS login is for people aged 13 and over: a younger child's identity is checked at the desk
    if verified.birthdate != request.date_of_birth.isoformat():
        return "mismatch"
    actor = Actor.system("NHS login")
    if request.patient_id is None:
        patient = Patient.objects.filter(
            practice=request.practice,
            status="registered",
            nhs_number=verified.nhs_number,
            date_of_birth=request.date_of_birth,
        ).first()
        if patient is None:
            return "not_registered"
        confirm_match(actor=actor, request=request, patient_id=patient.pk)
    elif request.patient.nhs_number != verified.nhs_number:
        return "mismatch"
    verify_identity(
        actor=actor,
        request=request,
        method=IdentityMethod.NHS_LOGIN_P9,
        remote=True,
        evidence=f"NHS login, vot {verified.vot}",
    )
    return "verified"


def capture_in_consultation(
    *, actor: Actor, patient: Patient, wish: str, access_level: str, declarations: bool
) -> AccessRequest:
    """A request a clinician records in a consultation: the patient's details come from the register."""
    if wish not in ("wants_access", "no_access", "has_questions"):
        raise RequestError(errors=[("wish", "Choose what they asked for.")])
    if wish == "wants_access" and access_level not in AccessLevel.values:
        raise RequestError(errors=[("access_level", "Choose what they should see.")])
    if wish == "wants_access" and not declarations:
        raise RequestError(
            errors=[
                (
                    "declarations",
                    "Go through the declarations with them before recording a request for access.",
                )
            ]
        )
    request, _joined = submit(
        practice=patient.practice,
        details=_from_register(patient, wish=wish, access_level=access_level, declarations=declarations),
        route=Route.CONSULTATION,
        actor=actor,
        entered_by=actor.name,
    )
    return request


# Being messaged at the registered contact tells us whose record the answer is about, not who answered: the
# request is matched, and identity is verified as for any other (H20, H55).
IDENTITY_FROM_ANSWER = "not verified: answered a message sent to their registered contact"


def request_from_answer(*, actor: Actor, patient: Patient) -> AccessRequest:
    """A patient's "yes" to our message: a request for new entries from now on (what the message offered),
    matched to them, waiting for their identity to be verified. An open request of theirs is used, not doubled."""
    open_request = (
        AccessRequest.objects.filter(patient=patient, wish=Wish.WANTS_ACCESS)
        .exclude(status=RequestStatus.DECIDED)
        .order_by("received_at")
        .first()
    )
    if open_request is not None:
        return open_request
    request, _joined = submit(
        practice=patient.practice,
        details=_from_register(
            patient, wish=Wish.WANTS_ACCESS, access_level=AccessLevel.PROSPECTIVE, declarations=False
        ),
        route=Route.REPLY,
        actor=actor,
        identity=IDENTITY_FROM_ANSWER,
    )
    if request.patient_id is None:  # the register changed under the message: it is still their answer
        _set_match(request, patient, actor, how="from their own message")
    return request


def request_for_access(
    *, actor: Actor, practice: Practice, patient: Patient | None = None, earlier: AccessRequest | None = None
) -> AccessRequest:
    """A question that turns into a request for access (the question inbox): the details of the request the
    question came with (`earlier`), else the patient's own from the register, as a request for new entries from
    now on unless they asked for more. It enters the normal flow: matched by the register or by a person, and
    identity verified before it goes on the waiting list. An open request for access of theirs is used, not
    doubled."""
    if earlier is None and patient is None:
        raise RequestError(
            "We do not know who asked this question: key in their request on the “New request” page instead."
        )
    if patient is not None:
        open_request = (
            AccessRequest.objects.filter(practice=practice, patient=patient, wish=Wish.WANTS_ACCESS)
            .exclude(status=RequestStatus.DECIDED)
            .order_by("received_at")
            .first()
        )
        if open_request is not None:
            return open_request
    if earlier is not None:
        fields = {f: getattr(earlier, f) for f in RequestDetails.__dataclass_fields__}
        fields |= {"wish": Wish.WANTS_ACCESS, "access_level": earlier.access_level or AccessLevel.PROSPECTIVE}
        details = RequestDetails(**fields)
    else:
        details = _from_register(
            patient, wish=Wish.WANTS_ACCESS, access_level=AccessLevel.PROSPECTIVE, declarations=False
        )
    request, _joined = submit(
        practice=practice, details=details, route=Route.PHONE, actor=actor, entered_by=actor.name
    )
    if request.patient_id is None and patient is not None:
        _set_match(request, patient, actor, how="by staff, from the patient's question")
    return request


def _from_register(patient: Patient, *, wish: str, access_level: str, declarations: bool) -> RequestDetails:
    lines = [
        line
        for line in (patient.address_line_1, patient.address_line_2, patient.address_line_3, patient.town)
        if line
    ]
    return RequestDetails(
        wish=wish,
        given_name=patient.given_name,
        family_name=patient.family_name,
        date_of_birth=patient.date_of_birth,
        address="\n".join(lines) or "Not recorded",
        postcode=patient.postcode,
        nhs_number=patient.nhs_number,
        mobile=patient.mobile,
        email=patient.email,
        contact_by="sms" if patient.mobile else ("email" if patient.email else "letter"),
        access_level=access_level if wish == "wants_access" else "",
        declarations=declarations,
    )
