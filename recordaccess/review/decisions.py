"""Claiming a request for review, the checklist, and the decision: the safety-critical steps.

Each control here answers a hazard in docs/safety/hazard-log.md:
- only one person holds a request at a time (a conditional UPDATE claims it);
- a request whose patient has a safeguarding or enhanced-review flag (read again at the moment of decision,
  not from the waiting list's copy), a full-past-record request or a proxy request is decided only by a reviewer;
- access is granted only with the checklist complete; with third-party or harmful information found, only
  after redaction; with results awaiting discussion, not at all until they are discussed;
- the decision names the patient's NHS number as the reviewer saw it, and is refused if the request now points
  at someone else;
- with a coercion risk the patient's message is withheld unless the reviewer confirms the contact is safe, and a
  withheld message is never sent; a grant after redaction tells the patient only once the redaction is done.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.conversations import services as conversations
from recordaccess.intake.models import AccessLevel, AccessRequest, RequestStatus, Wish
from recordaccess.intake.services import audit_request
from recordaccess.intake.waiting_list import policy_for
from recordaccess.outreach import direct
from recordaccess.outreach.letters import letter_address
from recordaccess.outreach.messages import TemplateError
from recordaccess.patients.flags import patient_needs_review
from recordaccess.patients.models import AccessStatus, Patient, Preference
from recordaccess.practices.roles import Role
from recordaccess.review import checklist, coding, wording
from recordaccess.review.models import Answer, Decision, Outcome, PatientMessage, Review
from recordaccess.review.services import ReviewError

CHECKLIST_FIELDS = [
    "flags_considered",
    "third_party",
    "third_party_note",
    "serious_harm",
    "serious_harm_note",
    "consulted",
    "coercion",
    "coercion_note",
    "results_pending",
    "results_note",
    "proxy_capacity",
    "proxy_note",
]
MAX_MINUTES = 600


def not_ready(request: AccessRequest) -> str:
    """Why the request cannot be reviewed yet, or ''."""
    if request.patient_id is None:
        return "Match the request to a patient on the register first"
    if not request.identity_checks.exists():
        return "Verify the requester's identity first"
    if request.for_someone_else and not request.proxy_evidence:
        return "Record the evidence of the proxy's authority to act first"
    return ""


def claim(*, actor: Actor, request: AccessRequest) -> Review:
    problem = not_ready(request)
    if problem:
        raise ReviewError(problem)
    now = timezone.now()
    with transaction.atomic():
        # Only a request still on the waiting list can be claimed: of two people claiming at once, one wins.
        taken = AccessRequest.objects.filter(pk=request.pk, on_list=True).update(
            status=RequestStatus.IN_REVIEW, on_list=False, updated_at=now
        )
        if not taken:
            holder = Review.objects.filter(request=request).values_list("reviewer", flat=True).first()
            raise ReviewError(
                f"{holder} is reviewing this request" if holder else "This request is not on the waiting list"
            )
        review, _ = Review.objects.get_or_create(request=request, defaults={"practice": request.practice})
        review.reviewer, review.claimed_at = actor.name, now
        review.first_claimed_at = review.first_claimed_at or now
        review.save(update_fields=["reviewer", "claimed_at", "first_claimed_at", "updated_at"])
        request.status = RequestStatus.IN_REVIEW
        audit_request(actor, request, "review.claim", {})
    return review


def holding(actor: Actor, request: AccessRequest) -> Review:
    review = Review.objects.filter(request=request).first()
    if request.status != RequestStatus.IN_REVIEW or review is None:
        raise ReviewError("Claim the request from the waiting list first")
    if review.reviewer != actor.name:
        raise ReviewError(f"{review.reviewer} is reviewing this request: they can release it to you")
    return review


def release(*, actor: Actor, request: AccessRequest, administrator: bool = False) -> None:
    """Back to the waiting list in its old place; the checklist answers so far are kept."""
    review = Review.objects.filter(request=request).first()
    if request.status != RequestStatus.IN_REVIEW or review is None:
        raise ReviewError("This request is not in review")
    if review.reviewer != actor.name and not administrator:
        raise ReviewError(f"Only {review.reviewer} or an administrator can release this request")
    with transaction.atomic():
        request.status = RequestStatus.WAITING
        request.save(update_fields=["status", "updated_at"])
        Review.objects.filter(pk=review.pk).update(reviewer="", claimed_at=None)
        audit_request(actor, request, "review.release", {"held_by": review.reviewer})


def save_checklist(*, actor: Actor, role: str, request: AccessRequest, answers: dict) -> Review:
    """Save the answers given so far. Only a reviewer may answer the clinical questions (third party, serious
    harm, coercion); the review keeps who last changed each answer, for the decision to record."""
    review = holding(actor, request)
    changed = {
        question
        for question, fields in checklist.CLINICAL.items()
        if any(name in answers and answers[name] != getattr(review, name) for name in fields)
    }
    if changed and role != Role.REVIEWER:
        labels = ", ".join(sorted(name.replace("_", " ") for name in changed))
        raise ReviewError(f"Only a reviewer (a GP or clinician) can answer the clinical questions: {labels}")
    for name in CHECKLIST_FIELDS:
        if name in answers:
            setattr(review, name, answers[name])
    for question in checklist.CLINICAL:
        if question in changed or (getattr(review, question) and not getattr(review, f"{question}_by")):
            setattr(review, f"{question}_by", actor.name if getattr(review, question) else "")
    review.updated_by = actor.name
    review.save()
    audit_request(
        actor,
        request,
        "review.checklist",
        {name: getattr(review, name) for name in CHECKLIST_FIELDS if not name.endswith("note")},
    )
    return review


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    nhs_number: str  # as the reviewer saw it on the page: the decision is refused if it is not the request's
    tell_patient: bool = True
    withheld_reason: str = ""
    contact_safe: bool = False
    access_level: str = ""
    access_from: datetime.date | None = None
    redactions: str = ""
    reason: str = ""
    defer_until: datetime.date | None = None
    conversation_needed: bool = False
    stop_automatic_access: bool = False
    minutes_spent: int | None = None


def problems(
    request: AccessRequest, review: Review, role: str, given: DecisionInput
) -> list[tuple[str, str]]:
    """Everything wrong with this decision, as (field, message) pairs; none when it may be recorded."""
    today = timezone.localdate()
    errors: list[tuple[str, str]] = []
    patient = request.patient
    if patient is None or given.nhs_number != patient.nhs_number:
        return [("nhs_number", "This request is now matched to a different patient: open it again and check")]
    if given.outcome not in Outcome.values:
        return [("outcome", "Choose the decision")]
    flagged = patient_needs_review(request.patient_id)
    if given.outcome != Outcome.PATIENT_DECLINED:
        refused = checklist.may_decide(role, request, flagged)
        if refused:
            return [("outcome", refused)]
    granting = given.outcome in (Outcome.GRANTED, Outcome.GRANTED_REDACTED)
    reviewer = role == Role.REVIEWER
    if not reviewer and given.outcome == Outcome.DECLINED:
        return [
            (
                "outcome",
                "Declining access is a clinical judgement: only a reviewer (a GP or clinician) can decide it",
            )
        ]
    if not reviewer and granting:
        refused = checklist.reception_grant_refused(given.access_level, policy_for(request.practice))
        if refused:
            return [("outcome", refused)]
    if granting or (flagged and given.outcome != Outcome.PATIENT_DECLINED):
        errors += checklist.problems(review, request, clinical=reviewer)
    if granting:
        if request.wish != Wish.WANTS_ACCESS:
            errors.append(
                ("outcome", "The patient did not ask for access: record what they asked for instead")
            )
        if given.access_level not in AccessLevel.values:
            errors.append(("access_level", "Choose the level of access to give"))
        if given.access_from is None:
            errors.append(("access_from", "Enter the date access starts"))
        elif given.access_from > today + datetime.timedelta(days=365):
            errors.append(("access_from", "The start date must be within a year"))
        found = review.third_party == Answer.FOUND or review.serious_harm == Answer.FOUND
        if found and given.outcome == Outcome.GRANTED:
            errors.append(
                (
                    "outcome",
                    "Third-party or harmful information was found: grant after redaction, listing the entries",
                )
            )
        if given.outcome == Outcome.GRANTED_REDACTED and not given.redactions.strip():
            errors.append(("redactions", "List the entries to redact in the clinical system"))
        if review.results_pending == Answer.FOUND:
            errors.append(
                ("outcome", "Results are waiting to be discussed: defer until they have been, then grant")
            )
    if given.outcome == Outcome.PATIENT_DECLINED and request.wish != Wish.NO_ACCESS:
        errors.append(("outcome", "Only record that the patient declined when they asked not to have access"))
    if given.outcome in (Outcome.DEFERRED, Outcome.DECLINED) and not given.reason.strip():
        errors.append(("reason", "Say why: the reason goes on the record, not in the patient's message"))
    if given.outcome == Outcome.DEFERRED:
        if given.defer_until is None:
            errors.append(("defer_until", "Enter the date to come back to it by"))
        elif not today < given.defer_until <= today + datetime.timedelta(days=365):
            errors.append(
                ("defer_until", "The date to come back to it by must be after today and within a year")
            )
    if not given.tell_patient and not given.withheld_reason.strip():
        errors.append(("withheld_reason", "Say why telling the patient could cause harm"))
    if given.tell_patient and review.coercion == Answer.FOUND and not given.contact_safe:
        errors.append(
            (
                "tell_patient",
                "There is a coercion risk: withhold the message, or confirm the contact reaches only the patient",
            )
        )
    if given.minutes_spent is not None and not 1 <= given.minutes_spent <= MAX_MINUTES:
        errors.append(("minutes_spent", f"The time spent must be between 1 and {MAX_MINUTES} minutes"))
    return errors


class DecisionRefused(ReviewError):
    """Everything wrong with a decision at once, each message beside its question."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors=errors)


def decide(*, actor: Actor, role: str, request: AccessRequest, given: DecisionInput) -> Decision:
    with transaction.atomic():
        # Lock the request so the match cannot change under the decision, and read it afresh.
        request = (
            AccessRequest.objects.select_for_update(of=("self",))
            .select_related("practice", "patient")
            .get(pk=request.pk)
        )
        review = holding(actor, request)
        errors = problems(request, review, role, given)
        if errors:
            raise DecisionRefused(errors)
        granting = given.outcome in (Outcome.GRANTED, Outcome.GRANTED_REDACTED)
        if not given.tell_patient:
            message = PatientMessage.WITHHELD
        elif given.outcome == Outcome.GRANTED_REDACTED:
            message = PatientMessage.WAITING
        else:
            message = PatientMessage.QUEUED
        try:
            decision = Decision.objects.create(
                request=request,
                practice=request.practice,
                patient=request.patient,
                outcome=given.outcome,
                access_level=given.access_level if granting else "",
                access_from=given.access_from if granting else None,
                redactions=given.redactions.strip() if given.outcome == Outcome.GRANTED_REDACTED else "",
                reason=given.reason.strip(),
                defer_until=given.defer_until if given.outcome == Outcome.DEFERRED else None,
                conversation_needed=given.conversation_needed and given.outcome == Outcome.DEFERRED,
                stop_automatic_access=given.outcome == Outcome.DECLINED
                or (given.outcome == Outcome.DEFERRED and given.stop_automatic_access),
                message=message,
                withheld_reason="" if given.tell_patient else given.withheld_reason.strip(),
                minutes_spent=given.minutes_spent or measured_minutes(review),
                decided_by=actor.name,
                decided_role=role,
                answered_by=checklist.answered_by(review),
            )
        except IntegrityError as error:
            raise ReviewError("This request has been decided already") from error
        request.status = RequestStatus.DECIDED
        request.save(update_fields=["status", "updated_at"])
        Review.objects.filter(pk=review.pk).update(reviewer="")  # no one holds a decided request
        coding.add_codes(decision)
        follow_on_record(decision)
        if message == PatientMessage.QUEUED:
            tell_patient(decision)
        audit_request(
            actor,
            request,
            "review.decide",
            {"outcome": decision.outcome, "message": decision.message, "codes": coding.codes_for(decision)},
        )
    return decision


def patient_said_no(*, patient: Patient, reply) -> list[Decision]:
    """A patient's own "no" to our message (replies/services.py), on the request form or told to staff, while a
    request of theirs for access (or the "no" itself, from the form) is still open: their latest word stands, so
    each such request is closed as "the patient does not want access" and no one can grant what they no longer
    want (H63). They are told on the page or by the text they answered with;
    the decline code comes once, from the reply (coding.patient_declined)."""
    open_requests = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("practice", "patient")
        .filter(patient=patient, wish__in=(Wish.WANTS_ACCESS, Wish.NO_ACCESS))
        .exclude(status=RequestStatus.DECIDED)
        .order_by("received_at")
    )
    day = timezone.localdate(reply.received_at)
    answered = f"{day.day} {day:%B %Y}"
    source = f" {reply.message.reference}" if reply.message_id else ""
    said = f"answered no to our message{source}"
    if reply.source == "form":
        said = "said on the request form that they do not want online access"
    elif reply.source == "staff":
        said = "told us they do not want online access"
    actor = Actor.system("patient")
    closed = []
    for request in open_requests:
        decision = Decision.objects.create(
            request=request,
            practice=request.practice,
            patient=patient,
            outcome=Outcome.PATIENT_DECLINED,
            reason=f"The patient {said} on {answered}.",
            message=PatientMessage.ANSWERED,
            minutes_spent=0,
            decided_by="The patient, by their answer",
            decided_role="patient",
        )
        request.status = RequestStatus.DECIDED
        request.save(update_fields=["status", "updated_at"])
        Review.objects.filter(request=request).update(reviewer="")
        audit_request(
            actor,
            request,
            "review.decide",
            {"outcome": decision.outcome, "message": decision.message, "reply": reply.pk},
        )
        closed.append(decision)
    return closed


def measured_minutes(review: Review) -> int:
    """Claim to decision, capped: a stand-in when the reviewer does not say how long it took."""
    if review.claimed_at is None:
        return 0
    return max(1, min(MAX_MINUTES, int((timezone.now() - review.claimed_at).total_seconds() // 60)))


def follow_on_record(decision: Decision) -> None:
    """Our copy of the patient's access status follows the decision (the clinical system's follows the codes)."""
    status = {
        Outcome.GRANTED: AccessStatus.ACCESS_ON,
        Outcome.GRANTED_REDACTED: AccessStatus.ACCESS_ON,
        Outcome.DECLINED: AccessStatus.WITHHELD,
        Outcome.PATIENT_DECLINED: AccessStatus.DECLINED,
    }.get(decision.outcome)
    if decision.outcome == Outcome.DEFERRED and decision.stop_automatic_access:
        status = AccessStatus.ENHANCED_REVIEW
    changes = {"access_status": status} if status else {}
    if decision.outcome == Outcome.PATIENT_DECLINED:
        changes.update(preference=Preference.NO_ACCESS, preference_recorded_at=timezone.now())
    if changes:
        Patient.objects.filter(pk=decision.patient_id).update(**changes)


def tell_patient(decision: Decision) -> None:
    """The decision's message by the requester's chosen channel (a letter when they chose phone or post), once:
    its reference is the request's, so however often this runs, one message is queued."""
    request = decision.request
    link = ""
    if decision.conversation_needed:
        link = conversations.invitation_link(conversations.invite(request.practice, request))
    body = wording.decision_body(decision, booking_link=link)
    channel = request.contact_by if request.contact_by in ("sms", "email") else "letter"
    if (channel == "sms" and not request.mobile) or (channel == "email" and not request.email):
        channel = "letter"
    lines = [*request.address.splitlines(), request.postcode]
    if channel == "letter":
        try:
            lines = letter_address(f"{request.given_name} {request.family_name}", lines)
        except TemplateError:
            Decision.objects.filter(pk=decision.pk).update(message=PatientMessage.NO_CONTACT)
            return
    direct.queue(
        practice=request.practice,
        reference=f"DEC-{request.reference}",
        channel=channel,
        to=direct.address(channel=channel, mobile=request.mobile, email=request.email, letter_lines=lines),
        subject=wording.SUBJECT,
        body=body,
    )


def confirm_redaction(*, actor: Actor, decision: Decision) -> Decision:
    """Staff have redacted the entries in the clinical system: now the patient may be told."""
    with transaction.atomic():
        if not Decision.objects.filter(
            pk=decision.pk, redacted_at=None, outcome=Outcome.GRANTED_REDACTED
        ).update(redacted_at=timezone.now(), redacted_by=actor.name):
            raise ReviewError("The redactions for this decision were confirmed already")
        decision.refresh_from_db()
        if decision.message == PatientMessage.WAITING:
            Decision.objects.filter(pk=decision.pk).update(message=PatientMessage.QUEUED)
            tell_patient(decision)
        audit_request(actor, decision.request, "review.redacted", {})
    return decision
