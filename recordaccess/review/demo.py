"""Demo reviews: the reviewer takes the first requests on the demo waiting list into review and decides some,
through the real services, so the review, coding and capacity pages have something to show."""

import datetime

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.intake.models import AccessRequest, Wish
from recordaccess.practices.roles import Role
from recordaccess.review import decisions
from recordaccess.review.models import Answer, Decision, Outcome

REVIEWER = Actor.system("demo-reviewer")
DECIDE, HOLD = 40, 12


def load(*, practice, report) -> None:
    if Decision.objects.filter(practice=practice).exists():
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


def _decision(request: AccessRequest, redact: bool) -> decisions.DecisionInput:
    nhs_number = request.patient.nhs_number
    if request.wish == Wish.NO_ACCESS:
        return decisions.DecisionInput(outcome=Outcome.PATIENT_DECLINED, nhs_number=nhs_number)
    if request.wish == Wish.HAS_QUESTIONS:
        return decisions.DecisionInput(
            outcome=Outcome.DEFERRED,
            nhs_number=nhs_number,
            reason="Asked a question about proxy access: talk it through first",
            defer_until=timezone.localdate() + datetime.timedelta(days=21),
            conversation_needed=True,
        )
    return decisions.DecisionInput(
        outcome=Outcome.GRANTED_REDACTED if redact else Outcome.GRANTED,
        nhs_number=nhs_number,
        access_level=request.access_level or "prospective",
        access_from=timezone.localdate(),
        redactions="Letter of 3 March 2019" if redact else "",
    )
