"""Review and decisions: each control in docs/safety/hazard-log.md (H23 onwards) is proved here."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.conversations.models import Invitation
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest, WaitingListPolicy
from recordaccess.intake.waiting_list import refresh
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.models import DirectMessage
from recordaccess.patients.models import Flag, FlagKind, Patient
from recordaccess.practices.roles import Role
from recordaccess.review import checklist, decisions
from recordaccess.review.decisions import DecisionInput, DecisionRefused
from recordaccess.review.models import (
    Answer,
    CodingEntry,
    Decision,
    Outcome,
    PatientMessage,
    Review,
)
from recordaccess.review.services import ReviewError, waiting_list
from tests.review.conftest import (
    CLEAR,
    REVIEWER,
    SAFEGUARDING,
    STAFF,
    legacy_no_on_the_list,
    waiting_request,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def decision_messages():
    """The patient's messages about the decision (their request's acknowledgement is a direct message too)."""
    return DirectMessage.objects.filter(reference__startswith="DEC-")


def grant(request, **changes) -> DecisionInput:
    values = dict(
        outcome=Outcome.GRANTED,
        nhs_number=request.patient.nhs_number,
        access_level="prospective",
        access_from=TODAY,
    )
    return DecisionInput(**{**values, **changes})


def reviewed(request, actor=REVIEWER, **answers):
    """Claimed, with the checklist answered as far as the actor's role may: reception leaves the reviewer's
    questions (third party, serious harm, coercion) alone."""
    role = Role.RECEPTION if actor == STAFF else Role.REVIEWER
    answers = {**CLEAR, **answers}
    if role != Role.REVIEWER:
        answers = {k: v for k, v in answers.items() if k not in checklist.REVIEWER_FIELDS}
    decisions.claim(actor=actor, request=request)
    decisions.save_checklist(actor=actor, role=role, request=request, answers=answers)
    request.refresh_from_db()
    return request


def reception_may_grant(practice, allowed=True):
    WaitingListPolicy.objects.update_or_create(practice=practice, defaults={"reception_may_grant": allowed})


def refused(request, given, *, actor=REVIEWER, role=Role.REVIEWER) -> list[str]:
    with pytest.raises(DecisionRefused) as caught:
        decisions.decide(actor=actor, role=role, request=request, given=given)
    assert not Decision.objects.filter(request=request).exists()
    return [message for _, message in caught.value.errors]


def test_a_request_is_claimed_by_one_person_leaves_the_list_and_goes_back_in_its_place(practice):
    request = waiting_request(practice)
    assert list(waiting_list(practice)[0]) == [request]
    decisions.claim(actor=REVIEWER, request=request)
    assert list(waiting_list(practice)[0]) == []
    with pytest.raises(ReviewError, match="dr-jones is reviewing this request"):
        decisions.claim(actor=STAFF, request=request)
    with pytest.raises(ReviewError, match="Only dr-jones or an administrator"):
        decisions.release(actor=STAFF, request=AccessRequest.objects.get(pk=request.pk))
    decisions.release(actor=REVIEWER, request=AccessRequest.objects.get(pk=request.pk))
    assert list(waiting_list(practice)[0]) == [request]
    actions = list(AuditEntry.objects.filter(object_id=str(request.pk)).values_list("action", flat=True))
    assert "review.claim" in actions and "review.release" in actions


def test_a_request_without_a_verified_identity_cannot_be_claimed(practice):
    request = waiting_request(practice)
    request.identity_checks.all().delete()
    with pytest.raises(ReviewError, match="Verify the requester's identity first"):
        decisions.claim(actor=REVIEWER, request=request)


def test_only_the_holder_saves_the_checklist_or_decides(practice):
    request = reviewed(waiting_request(practice))
    with pytest.raises(ReviewError, match="dr-jones is reviewing this request"):
        decisions.decide(actor=STAFF, role=Role.REVIEWER, request=request, given=grant(request))


def test_a_flagged_patient_is_decided_only_by_a_reviewer(practice):
    """H23: access granted without the review a flag demands."""
    request = reviewed(waiting_request(practice, flag=SAFEGUARDING), actor=STAFF)
    for outcome in (Outcome.GRANTED, Outcome.DECLINED):
        messages = refused(
            request, grant(request, outcome=outcome, reason="x"), actor=STAFF, role=Role.RECEPTION
        )
        assert messages == [
            "The patient has a safeguarding or enhanced-review flag: only a reviewer (a GP or clinician) can decide it"
        ]
    refused(request, grant(request), actor=STAFF, role=Role.ADMINISTRATOR)


def test_a_flag_added_after_the_request_joined_the_list_still_demands_a_reviewer(practice):
    """H23: the waiting list's copy of the flag may be stale; the decision reads the flags again."""
    request = reviewed(waiting_request(practice), actor=STAFF)
    assert not request.risk_flag
    Flag.objects.create(
        patient=request.patient, kind=FlagKind.ENHANCED_REVIEW, code="1364731000000104", term="x"
    )
    assert "only a reviewer" in refused(request, grant(request), actor=STAFF, role=Role.RECEPTION)[0]


def test_unflagged_new_entries_can_be_granted_by_reception_but_the_full_record_and_proxies_need_a_reviewer(
    practice,
):
    reception_may_grant(practice)
    simple = reviewed(waiting_request(practice), actor=STAFF)
    decision = decisions.decide(actor=STAFF, role=Role.RECEPTION, request=simple, given=grant(simple))
    assert decision.outcome == Outcome.GRANTED
    full = reviewed(waiting_request(practice, level="historic"), actor=STAFF)
    assert refused(full, grant(full, access_level="historic"), actor=STAFF, role=Role.RECEPTION) == [
        "The full past record is only given after a clinician's review: only a reviewer (a GP or clinician) can decide it"
    ]


def test_a_reviewer_cannot_grant_until_every_question_on_the_checklist_is_answered(practice):
    request = waiting_request(practice, flag=SAFEGUARDING)
    decisions.claim(actor=REVIEWER, request=request)
    messages = refused(request, grant(request))
    assert "Confirm you have considered the patient's safeguarding and enhanced-review flags" in messages
    assert "Say whether there is a risk that the patient is being coerced" in messages
    decisions.save_checklist(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=request,
        answers={**CLEAR, "serious_harm": Answer.FOUND, "serious_harm_note": "x"},
    )
    messages = refused(request, grant(request, outcome=Outcome.GRANTED_REDACTED, redactions="Entry of 1 May"))
    assert messages == [
        "Say which health professional you consulted about the information likely to cause harm"
    ]
    decisions.save_checklist(
        actor=REVIEWER, role=Role.REVIEWER, request=request, answers={"consulted": "Dr Khan, her GP"}
    )
    decision = decisions.decide(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=request,
        given=grant(request, outcome=Outcome.GRANTED_REDACTED, redactions="Entry of 1 May"),
    )
    assert decision.decided_by == "dr-jones" and decision.decided_role == Role.REVIEWER


def test_third_party_or_harmful_information_found_means_redaction_first_and_the_patient_is_told_after(
    practice,
):
    """H24: access switched on before the redactions are made."""
    request = reviewed(
        waiting_request(practice), third_party=Answer.FOUND, third_party_note="Letter naming a neighbour"
    )
    assert refused(request, grant(request)) == [
        "Third-party or harmful information was found: grant after redaction, listing the entries"
    ]
    assert refused(request, grant(request, outcome=Outcome.GRANTED_REDACTED)) == [
        "List the entries to redact in the clinical system"
    ]
    decision = decisions.decide(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=request,
        given=grant(request, outcome=Outcome.GRANTED_REDACTED, redactions="Letter of 3 March 2019"),
    )
    assert decision.message == PatientMessage.WAITING and not decision_messages().exists()
    decisions.confirm_redaction(actor=STAFF, decision=decision)
    assert Decision.objects.get(pk=decision.pk).message == PatientMessage.QUEUED
    assert decision_messages().get().reference == f"DEC-{request.reference}"
    with pytest.raises(ReviewError, match="confirmed already"):
        decisions.confirm_redaction(actor=STAFF, decision=decision)
    assert decision_messages().count() == 1


def test_results_waiting_to_be_discussed_stop_a_grant(practice):
    request = reviewed(waiting_request(practice), results_pending=Answer.FOUND, results_note="HbA1c of 2 May")
    assert refused(request, grant(request)) == [
        "Results are waiting to be discussed: defer until they have been, then grant"
    ]


def test_a_decision_names_the_patient_it_was_made_for(practice):
    """H25: a decision recorded against the wrong patient (the request re-matched while the page was open)."""
    request = reviewed(waiting_request(practice))
    seen = request.patient.nhs_number
    other = Patient.objects.create(
        practice=practice,
        nhs_number="9434765870",
        given_name="Alex",
        family_name="Morgan",
        date_of_birth=datetime.date(1975, 5, 5),
    )
    AccessRequest.objects.filter(pk=request.pk).update(patient=other)
    assert refused(request, grant(request, nhs_number=seen)) == [
        "This request is now matched to a different patient: open it again and check"
    ]


def test_with_a_coercion_risk_the_message_is_withheld_unless_the_contact_is_confirmed_safe(practice):
    """H26: a message revealing a decision to a coercer."""
    request = reviewed(
        waiting_request(practice), coercion=Answer.FOUND, coercion_note="Partner reads her texts"
    )
    assert refused(request, grant(request, outcome=Outcome.DECLINED, reason="Coercion")) == [
        "There is a coercion risk: withhold the message, or confirm the contact reaches only the patient"
    ]
    assert refused(
        request, grant(request, outcome=Outcome.DECLINED, reason="Coercion", tell_patient=False)
    ) == ["Say why telling the patient could cause harm"]
    decision = decisions.decide(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=request,
        given=grant(
            request,
            outcome=Outcome.DECLINED,
            reason="Coercion",
            tell_patient=False,
            withheld_reason="Partner reads texts",
        ),
    )
    assert decision.message == PatientMessage.WITHHELD
    assert not decision_messages().exists()
    assert Patient.objects.get(pk=request.patient_id).access_status == "withheld"


def test_each_outcome_gives_its_codes_and_updates_our_copy_of_the_record(practice):
    cases = [
        (waiting_request(practice), grant, "1364751000000106", "access_on"),
        (
            waiting_request(practice),
            lambda r: grant(r, outcome=Outcome.DECLINED, reason="Serious harm"),
            "1364731000000104",
            "withheld",
        ),
        (
            waiting_request(practice),
            lambda r: grant(
                r,
                outcome=Outcome.DEFERRED,
                reason="Talk first",
                defer_until=TODAY + datetime.timedelta(days=14),
                stop_automatic_access=True,
            ),
            "1364731000000104",
            "enhanced_review",
        ),
        (
            legacy_no_on_the_list(practice),
            lambda r: DecisionInput(outcome=Outcome.PATIENT_DECLINED, nhs_number=r.patient.nhs_number),
            "1290331000000103",
            "declined",
        ),
    ]
    for request, given, code, status in cases:
        reviewed(request)
        decision = decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=given(request))
        entry = CodingEntry.objects.get(decision=decision)
        assert (entry.code, entry.nhs_number, entry.date) == (code, request.patient.nhs_number, TODAY)
        assert Patient.objects.get(pk=request.patient_id).access_status == status
    plain_deferral = reviewed(waiting_request(practice))
    decision = decisions.decide(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=plain_deferral,
        given=grant(
            plain_deferral,
            outcome=Outcome.DEFERRED,
            reason="Busy",
            defer_until=TODAY + datetime.timedelta(days=7),
        ),
    )
    assert not decision.codes.exists()


def test_every_bad_decision_gets_a_specific_message(practice):
    request = reviewed(waiting_request(practice))
    assert refused(request, grant(request, access_level="", access_from=None)) == [
        "Choose the level of access to give",
        "Enter the date access starts",
    ]
    assert refused(request, grant(request, outcome=Outcome.DEFERRED)) == [
        "Say why: the reason goes on the record, not in the patient's message",
        "Enter the date to come back to it by",
    ]
    assert refused(request, grant(request, outcome=Outcome.DEFERRED, reason="x", defer_until=TODAY)) == [
        "The date to come back to it by must be after today and within a year"
    ]
    assert refused(request, grant(request, outcome=Outcome.PATIENT_DECLINED)) == [
        "Only record that the patient declined when they asked not to have access"
    ]
    assert refused(request, grant(request, minutes_spent=0)) == [
        "The time spent must be between 1 and 600 minutes"
    ]


def test_the_patient_is_told_once_by_text_through_notify_with_nothing_clinical(practice, notify):
    request = reviewed(waiting_request(practice, mobile="07700900222"))
    decision = decisions.decide(
        actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant(request, access_level="coded")
    )
    decisions.tell_patient(decision)  # a second call, as after a retry: still one message
    message = decision_messages().get()
    assert send_direct_message.call(message.pk) == "sent"
    assert send_direct_message.call(message.pk) == "already handled"
    [text] = notify.notifications
    assert text["phone_number"] == "07700 900222" and text["reference"] == f"DEC-{request.reference}"
    body = text["personalisation"]["body"]
    assert request.reference_display in body and "NHS App" in body
    assert "coded" not in body.lower() and not PRIVATE_WORDS.search(body)


def test_the_decision_text_whose_answer_notify_lost_is_looked_up_not_sent_again(practice, notify, settings):
    settings.SEND_RETRY_BASE_SECONDS = 0  # the retry is due at once
    request = reviewed(waiting_request(practice, mobile="07700900222"))
    decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant(request))
    message = decision_messages().get()
    notify.lose_next(1, "502")  # Notify takes it; its answer never arrives
    assert send_direct_message.call(message.pk) == "queued"
    assert send_direct_message.call(message.pk) == "sent"
    assert notify.sent_references() == [f"DEC-{request.reference}"]


def test_a_deferral_for_a_conversation_sends_a_booking_link(practice):
    request = reviewed(waiting_request(practice))
    decisions.decide(
        actor=REVIEWER,
        role=Role.REVIEWER,
        request=request,
        given=grant(
            request,
            outcome=Outcome.DEFERRED,
            reason="Talk first",
            defer_until=TODAY + datetime.timedelta(days=14),
            conversation_needed=True,
        ),
    )
    invitation = Invitation.objects.get(request=request)
    assert f"/p/A81001/book/{invitation.code}/" in decision_messages().get().body


def test_a_patient_who_chose_letters_gets_a_letter_to_their_address(practice):
    request = reviewed(waiting_request(practice, contact_by="letter", mobile=""))
    decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant(request))
    letter = decision_messages().get()
    assert letter.channel == "letter" and letter.to.splitlines() == [
        "Alex Morgan",
        "1 Road",
        "Leeds",
        "LS1 4AP",
    ]


def test_the_plain_move_cannot_decide_a_request(practice):
    request = waiting_request(practice)
    with pytest.raises(intake.RequestError, match="Claim the request"):
        intake.move(actor=STAFF, request=request, status="decided")


def code(patient, kind: str, day: datetime.date | None) -> Flag:
    codes = {FlagKind.ENHANCED_REVIEW: "1364731000000104", FlagKind.REVIEW_NOT_INDICATED: "1364751000000106"}
    return Flag.objects.create(patient=patient, kind=kind, code=codes[kind], term=kind, recorded_on=day)


def test_a_104_applied_again_after_a_106_needs_a_reviewer_at_the_decision_and_on_the_waiting_list(practice):
    """H47: any 106 cancelled any 104 at decision time, whatever the dates."""
    request = waiting_request(practice)
    code(request.patient, FlagKind.REVIEW_NOT_INDICATED, datetime.date(2023, 3, 1))
    code(request.patient, FlagKind.ENHANCED_REVIEW, datetime.date(2024, 3, 1))
    request = reviewed(request, actor=STAFF)
    assert "only a reviewer" in refused(request, grant(request), actor=STAFF, role=Role.RECEPTION)[0]
    other = waiting_request(practice)
    code(other.patient, FlagKind.ENHANCED_REVIEW, datetime.date(2024, 3, 1))
    code(other.patient, FlagKind.REVIEW_NOT_INDICATED, datetime.date(2024, 3, 1))  # the same day: doubt
    refresh(other)  # as when the request joins the list or the patient's flags change
    assert AccessRequest.objects.get(pk=other.pk).risk_flag


def test_the_waiting_list_follows_the_flags_as_soon_as_they_are_imported(practice, tmp_path):
    """H47: the waiting list's copy of the answer is brought up to date when the codes change."""
    request = waiting_request(practice)
    path = tmp_path / "flags.csv"
    path.write_text(
        f"NHS number,SNOMED code,Date\n{request.patient.nhs_number},1364731000000104,01/03/2024\n"
    )
    call_command("import_flags", str(path), "--practice", practice.ods_code, "--json", stdout=io.StringIO())
    assert AccessRequest.objects.get(pk=request.pk).risk_flag
    assert list(waiting_list(practice, "flagged")[0]) == [request]


def test_reception_cannot_answer_the_serious_harm_third_party_or_coercion_questions(practice):
    """H48: reception could answer "serious harm: none found" and grant."""
    request = waiting_request(practice)
    decisions.claim(actor=STAFF, request=request)
    for name in ("serious_harm", "third_party", "coercion"):
        with pytest.raises(ReviewError, match="Only a reviewer"):
            decisions.save_checklist(
                actor=STAFF, role=Role.RECEPTION, request=request, answers={name: Answer.NONE_FOUND}
            )
    decisions.save_checklist(
        actor=STAFF, role=Role.RECEPTION, request=request, answers={"flags_considered": True}
    )


def test_reception_grants_only_new_entries_to_a_patient_with_no_flag_where_the_practice_allows(practice):
    """H48: reception grants only what needs no clinical judgement."""
    request = reviewed(waiting_request(practice), actor=STAFF)
    not_allowed = "Your practice has not allowed reception to grant access: only a reviewer (a GP or clinician) can decide it"
    assert refused(request, grant(request), actor=STAFF, role=Role.RECEPTION) == [not_allowed]
    reception_may_grant(practice)
    assert refused(request, grant(request, access_level="coded"), actor=STAFF, role=Role.RECEPTION) == [
        "Reception may grant only new entries (prospective access): only a reviewer (a GP or clinician) can give more"
    ]
    assert refused(
        request, grant(request, outcome=Outcome.DECLINED, reason="x"), actor=STAFF, role=Role.RECEPTION
    ) == ["Declining access is a clinical judgement: only a reviewer (a GP or clinician) can decide it"]
    decision = decisions.decide(actor=STAFF, role=Role.RECEPTION, request=request, given=grant(request))
    assert decision.answered_by == {}


def test_a_reviewers_grant_needs_the_reviewers_answers_and_the_decision_records_who_gave_each(practice):
    """H48: the decision records who answered each clinical question."""
    request = reviewed(waiting_request(practice), actor=STAFF)
    decisions.release(actor=STAFF, request=request)
    khan = Actor.system("dr-khan")
    request = reviewed(AccessRequest.objects.get(pk=request.pk), actor=khan)
    decisions.release(actor=khan, request=request)
    decisions.claim(actor=REVIEWER, request=AccessRequest.objects.get(pk=request.pk))
    request = AccessRequest.objects.get(pk=request.pk)
    decisions.save_checklist(
        actor=REVIEWER, role=Role.REVIEWER, request=request, answers={"coercion": Answer.NONE_FOUND}
    )
    decision = decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant(request))
    assert decision.answered_by == {
        "third_party": "dr-khan",
        "serious_harm": "dr-khan",
        "coercion": "dr-khan",
    }


def test_clinical_answers_saved_before_reviewers_were_named_are_given_again_by_a_reviewer(practice):
    """H48: an answer with no reviewer named (from before this rule) does not count until a reviewer gives it."""
    request = reviewed(waiting_request(practice))
    Review.objects.filter(request=request).update(serious_harm_by="")
    assert refused(request, grant(request)) == [
        "Say whether any information is likely to cause serious harm to the patient or someone else: "
        "a reviewer (a GP or clinician) must answer this"
    ]
    decisions.save_checklist(actor=REVIEWER, role=Role.REVIEWER, request=request, answers=CLEAR)
    decision = decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=grant(request))
    assert decision.answered_by["serious_harm"] == "dr-jones"
