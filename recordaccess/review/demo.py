"""Demo reviews: the reviewer takes the first requests on the demo waiting list into review and decides some,
through the real services, so the review, coding and capacity pages have something to show. Reception may grant
new entries to patients with no flag; one patient whose 104 came after a 106 waits for a reviewer (H47)."""

import datetime
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest, IdentityMethod, RequestStatus, Wish
from recordaccess.intake.waiting_list import save_policy
from recordaccess.patients.flags import import_flags
from recordaccess.practices.roles import Role
from recordaccess.review import decisions
from recordaccess.review.models import Answer, Decision, Outcome

REVIEWER = Actor.system("demo-reviewer")
RECEPTION = Actor.system("demo-reception")
ADMIN = Actor.system("demo-admin")
DECIDE, HOLD = 40, 12


def load(*, practice, report) -> None:
    # A patient's own "no" (on the request form, or to a letter) is decided as it arrives: not the reviewer's.
    if Decision.objects.filter(practice=practice).exclude(decided_role="patient").exists():
        return
    first = list(
        AccessRequest.objects.filter(practice=practice, on_list=True).order_by("-priority_key", "id")[
            : DECIDE + HOLD
        ]
    )
    decided = 0
    for i, request in enumerate(first):
        if decisions.not_ready(request):
            continue
        with transaction.atomic():
            decisions.claim(actor=REVIEWER, request=request)
            if i >= DECIDE:
                continue
            redact = i % 7 == 3
            decisions.save_checklist(
                actor=REVIEWER,
                role=Role.REVIEWER,
                request=request,
                answers={
                    "flags_considered": True,
                    "third_party": Answer.FOUND if redact else Answer.NONE_FOUND,
                    "third_party_note": "Letter of 3 March 2019 names the patient's neighbour"
                    if redact
                    else "",
                    "serious_harm": Answer.NONE_FOUND,
                    "coercion": Answer.NONE_FOUND,
                    "results_pending": Answer.NONE_FOUND,
                    "proxy_capacity": "consents" if request.for_someone_else else "",
                },
            )
            decisions.decide(
                actor=REVIEWER, role=Role.REVIEWER, request=request, given=_decision(request, redact)
            )
            decided += 1
    # Reviews took 10 to 30 minutes and happened over the last weeks: spread them so capacity has a history.
    for n, decision in enumerate(Decision.objects.filter(practice=practice).order_by("id")):
        Decision.objects.filter(pk=decision.pk).update(
            decided_at=timezone.now() - datetime.timedelta(days=(n * 37) % 50),
            minutes_spent=10 + (n * 7) % 21,
        )
    report("decisions", decided)
    report("reviewer-only requests", _recoded_patient_waiting(practice))


def _recoded_patient_waiting(practice) -> int:
    """A patient coded 106 in 2023 and 104 again in 2024, imported as a practice imports codes, with a request
    waiting: the waiting list flags it, and only a reviewer can decide it (demo-reception is refused)."""
    save_policy(actor=ADMIN, practice=practice, reception_may_grant=True)
    patient = (
        practice.patients.filter(
            status="registered",
            flags__isnull=True,
            access_requests__isnull=True,
            date_of_birth__lte=datetime.date(2000, 1, 1),
        )
        .order_by("nhs_number")
        .first()
    )
    if patient is None:
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "recoded.csv"
        path.write_text(
            f"NHS Number,SNOMED Code,Date\n{patient.nhs_number},1364751000000106,01/05/2023\n"
            f"{patient.nhs_number},1364731000000104,01/09/2024\n",
            encoding="utf-8",
        )
        import_flags(practice=practice, path=path)
    details = intake.RequestDetails(
        wish=Wish.WANTS_ACCESS,
        given_name=patient.given_name or "Sam",
        family_name=patient.family_name,
        date_of_birth=patient.date_of_birth,
        address=patient.address_line_1 or "1 Demo Street",
        postcode=patient.postcode or "LS1 4AP",
        nhs_number=patient.nhs_number,
        mobile=patient.mobile,
        email=patient.email,
        contact_by="sms" if patient.mobile else ("email" if patient.email else "letter"),
        access_level="prospective",
        declarations=True,
    )
    request, _ = intake.submit(practice=practice, details=details, route="online", actor=RECEPTION)
    if request.patient_id is None:
        intake.confirm_match(actor=RECEPTION, request=request, patient_id=patient.pk)
    intake.verify_identity(
        actor=RECEPTION, request=request, method=IdentityMethod.DOCUMENTS, remote=False, evidence="Passport"
    )
    intake.move(actor=RECEPTION, request=request, status=RequestStatus.WAITING)
    return 1


def _decision(request: AccessRequest, redact: bool) -> decisions.DecisionInput:
    nhs_number = request.patient.nhs_number
    return decisions.DecisionInput(
        outcome=Outcome.GRANTED_REDACTED if redact else Outcome.GRANTED,
        nhs_number=nhs_number,
        access_level=request.access_level or "prospective",
        access_from=timezone.localdate(),
        redactions="Letter of 3 March 2019" if redact else "",
    )
