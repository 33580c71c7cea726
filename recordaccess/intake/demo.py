"""Demo requests: 300, by every route and in every state, most for patients on the demo register (some with
details a person must match), so the request pages, the matching queue and the chart have something to show."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.intake import acknowledge, services, waiting_list
from recordaccess.intake.models import AccessRequest, IdentityMethod, RequestStatus, Route
from recordaccess.outreach.models import DirectMessage, DirectStatus

DEMO_REQUESTS = 300
STAFF = Actor.system("demo-reception")
# How far along the demo requests are; review/demo.py then takes some of those waiting into review and decides
# some, through the review services.
SPREAD = [
    (RequestStatus.RECEIVED, 0.15),
    (RequestStatus.MATCHED, 0.2),
    (RequestStatus.IDENTITY_VERIFIED, 0.15),
    (RequestStatus.WAITING, 0.5),
]
ORDER = [s for s, _ in SPREAD]


def load(*, practice, report) -> None:
    # Requests made by the demo patients' answers to their letters (outreach/demo.py) are not the demo's own.
    if AccessRequest.objects.filter(practice=practice).exclude(route=Route.REPLY).exists():
        return
    rng = random.Random(6)  # noqa: S311 - reproducible demo data
    patients = list(
        practice.patients.filter(status="registered", date_of_birth__lte=datetime.date(2009, 1, 1))[:2000]
    )
    if not patients:
        return
    made = 0
    for i in range(DEMO_REQUESTS):
        patient = rng.choice(patients)
        target = rng.choices(ORDER, weights=[w for _, w in SPREAD])[0]
        wish = rng.choices(["wants_access", "no_access", "has_questions"], weights=[0.7, 0.2, 0.1])[0]
        typo = i % 12 == 0  # a surname as the patient typed it, for the matching queue
        details = services.RequestDetails(
            wish=wish,
            given_name=patient.given_name or "Sam",
            family_name=(patient.family_name + "e") if typo else patient.family_name,
            date_of_birth=patient.date_of_birth,
            address=patient.address_line_1 or "1 Demo Street",
            postcode=patient.postcode or "LS1 4AP",
            nhs_number="" if typo else patient.nhs_number,
            mobile=patient.mobile,
            email=patient.email,
            contact_by="sms" if patient.mobile else ("email" if patient.email else "letter"),
            access_level=rng.choice(["prospective", "historic", "coded", "summary"])
            if wish == "wants_access"
            else "",
            declarations=wish == "wants_access",
            question="Can my daughter help me use it?" if wish == "has_questions" else "",
        )
        route = rng.choices(["online", "paper", "phone", "consultation"], weights=[0.6, 0.2, 0.1, 0.1])[0]
        with transaction.atomic():
            request, joined = services.submit(
                practice=practice,
                details=details,
                route=route,
                actor=STAFF,
                entered_by="" if route == "online" else "demo-reception",
            )
            if joined:
                continue
            _advance(request, target)
            received = timezone.now() - datetime.timedelta(hours=rng.randint(1, 24 * 60))
            AccessRequest.objects.filter(pk=request.pk).update(received_at=received)
            request.received_at = received
            waiting_list.refresh(request)  # its place follows the back-dated day, as the scores on screen do
            DirectMessage.objects.filter(reference=acknowledge.reference(request)).update(
                status=DirectStatus.SENT, sent_at=received
            )
        made += 1
    made += _children_asking(practice)
    report("requests", made)


def _children_asking(practice) -> int:
    """Two children asking for their own full record online (aged about 10 and 14), waiting for review, so the
    waiting list shows the age and the assessment each needs (intake/children.py)."""
    today = timezone.localdate()
    made = 0
    for age in (10, 14):
        child = (
            practice.patients.filter(
                status="registered",
                date_of_birth__gt=today.replace(year=today.year - age - 1, day=1),
                date_of_birth__lte=today.replace(year=today.year - age, day=1),
            )
            .order_by("pk")
            .first()
        )
        if child is None:
            continue
        details = services.RequestDetails(
            wish="wants_access",
            given_name=child.given_name or "Sam",
            family_name=child.family_name,
            date_of_birth=child.date_of_birth,
            address=child.address_line_1 or "1 Demo Street",
            postcode=child.postcode or "LS1 4AP",
            nhs_number=child.nhs_number,
            access_level="historic",
            declarations=True,
        )
        with transaction.atomic():
            request, joined = services.submit(practice=practice, details=details, route="online", actor=STAFF)
            if not joined:
                _advance(request, RequestStatus.WAITING)
                made += 1
    return made


def _advance(request: AccessRequest, target: str) -> None:
    """Walk a request through the real services to its demo state (an unmatched one stays for the queue). Only a
    request for access goes further than matching: a question is in the question inbox and a "no" is recorded as
    a decline as it arrives (questions/services.py), neither ever on the waiting list."""
    if request.patient_id is None or ORDER.index(target) == 0 or request.wish != "wants_access":
        return
    steps = ORDER[ORDER.index(RequestStatus.MATCHED) + 1 : ORDER.index(target) + 1]
    for state in steps:
        if state == RequestStatus.IDENTITY_VERIFIED:
            services.verify_identity(
                actor=STAFF,
                request=request,
                method=IdentityMethod.DOCUMENTS,
                remote=False,
                evidence="Passport and a council tax bill",
            )
        else:
            services.move(actor=STAFF, request=request, status=state)
